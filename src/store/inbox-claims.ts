import type { Kysely } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import { engineOf } from './store-engine';
import { storeOperation } from './store-failure';
import { inWriteTransaction } from './store-transaction';

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

/** How to claim: who claims, how many, for how long, judged at which time. */
export interface ClaimOptions {
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly now: EpochMs;
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
    inWriteTransaction(db, async (executor) => {
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
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', options.now)]))
    .orderBy('id')
    .limit(options.limit);
  const locked =
    engineOf(executor) === 'postgres' ? candidates.forUpdate().skipLocked() : candidates;
  return executor
    .updateTable('notification_inbox')
    .set((eb) => ({
      lease_owner: options.owner,
      lease_until: options.now + options.leaseMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', locked)
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
 * Gives leased items back so any worker can claim them again, from `notBefore` on when given
 * (a back-off after a transient failure); the attempt count is kept.
 */
export async function releaseLease(
  db: StoreExecutor,
  ids: readonly number[],
  notBefore?: EpochMs,
): Promise<void> {
  if (ids.length === 0) return;
  await storeOperation('release notification leases', () =>
    db
      .updateTable('notification_inbox')
      .set({ lease_owner: null, lease_until: notBefore ?? null })
      .where('id', 'in', [...ids])
      .where('status', '=', 'pending')
      .execute(),
  );
}
