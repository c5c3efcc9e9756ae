import type { Kysely } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import {
  leaseFor,
  leaseIsFree,
  NOTHING_SETTLED,
  RELEASED,
  releaseHeld,
  settlementOf,
  type ClaimOptions,
  type LeaseHolder,
  type LeaseSettlement,
} from './work-queue';

/** An item leased to one worker, with its batch's validation tokens. */
export interface ClaimedInboxItem {
  readonly id: number;
  readonly batchId: number;
  readonly payload: string;
  readonly validationTokens: string[];
  readonly receivedAt: EpochMs;
  /** How many times the item has been claimed, this claim included. */
  readonly attempts: number;
}

/**
 * Leases up to `limit` pending items whose lease is empty or expired, oldest first. On PostgreSQL
 * locked rows are skipped, so concurrent claimers never get the same item.
 */
export async function claimPending(
  db: StoreExecutor,
  options: ClaimOptions,
): Promise<ClaimedInboxItem[]> {
  if (options.limit <= 0) return [];
  return storeOperation('claim notification items', () =>
    inTransaction(db, async (executor) => {
      const rows = await leaseCandidates(executor, options);
      const batches = await contentsOfBatches(executor, [
        ...new Set(rows.map((row) => row.batch_id)),
      ]);
      return rows
        .sort((a, b) => a.id - b.id)
        .map((row) => {
          const batch = batches.get(row.batch_id);
          return {
            id: row.id,
            batchId: row.batch_id,
            payload: batch?.payloads[row.item_index] ?? '',
            validationTokens: batch?.validationTokens ?? [],
            receivedAt: row.received_at,
            attempts: row.attempts,
          };
        });
    }),
  );
}

async function leaseCandidates(executor: Kysely<DatabaseSchema>, options: ClaimOptions) {
  const candidates = executor
    .selectFrom('notification_inbox')
    .select('id')
    .where('status', '=', 'pending')
    .where(leaseIsFree(options.now))
    .orderBy('id')
    .limit(options.limit);
  return executor
    .updateTable('notification_inbox')
    .set((eb) => ({ ...leaseFor(options), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', candidates.forUpdate().skipLocked())
    .returning(['id', 'batch_id', 'item_index', 'received_at', 'attempts'])
    .execute();
}

async function contentsOfBatches(
  executor: Kysely<DatabaseSchema>,
  batchIds: number[],
): Promise<Map<number, { validationTokens: string[]; payloads: string[] }>> {
  if (batchIds.length === 0) return new Map();
  const batches = await executor
    .selectFrom('notification_batches')
    .select(['id', 'validation_tokens', 'payloads'])
    .where('id', 'in', batchIds)
    .execute();
  return new Map(
    batches.map((b) => [
      b.id,
      {
        validationTokens: JSON.parse(b.validation_tokens) as string[],
        payloads: JSON.parse(b.payloads) as string[],
      },
    ]),
  );
}

/**
 * Marks the items `holder` still leases done, once their effects are committed (pass the caller's
 * transaction); items whose lease was lost are left to their new holder.
 */
export async function markDone(
  executor: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
): Promise<LeaseSettlement> {
  if (ids.length === 0) return NOTHING_SETTLED;
  const rows = await storeOperation('mark notification items done', () =>
    executor
      .updateTable('notification_inbox')
      .set({ ...RELEASED, status: 'done', finished_at: holder.now })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', holder.owner)
      .returning('id')
      .execute(),
  );
  return settlementOf(ids, rows);
}

/** Marks an item `holder` still leases rejected with the error code that dropped it; it is never retried. */
export async function markRejected(
  executor: StoreExecutor,
  holder: LeaseHolder,
  id: number,
  errorCode: string,
): Promise<LeaseSettlement> {
  const rows = await storeOperation('mark notification item rejected', () =>
    executor
      .updateTable('notification_inbox')
      .set({ ...RELEASED, status: 'rejected', error_code: errorCode, finished_at: holder.now })
      .where('id', '=', id)
      .where('lease_owner', '=', holder.owner)
      .returning('id')
      .execute(),
  );
  return settlementOf([id], rows);
}

/**
 * Gives the items `holder` still leases back so any worker can claim them again, from `notBefore`
 * on when given (a back-off after a transient failure); the attempt count is kept.
 */
export function releaseLease(
  db: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
  notBefore?: EpochMs,
): Promise<LeaseSettlement> {
  return releaseHeld(db, 'notification_inbox', holder, ids, notBefore);
}
