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

/** One raw notification item to persist. */
export interface InboxItemInput {
  /** Unique per real notification, so Graph's retries are recognised as duplicates. */
  readonly dedupeKey: string;
  readonly subscriptionId: string | null;
  readonly tenantId: string | null;
  /** The raw item JSON, still encrypted. */
  readonly payload: string;
}

/** One notification POST to persist. */
export interface InboxBatchInput {
  readonly receivedAt: EpochMs;
  readonly validationTokens: readonly string[];
  readonly items: readonly InboxItemInput[];
}

/** Inbox items by status. */
export interface InboxCounts {
  readonly pending: number;
  readonly done: number;
  readonly rejected: number;
}

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

const ROWS_PER_INSERT = 500;

/** Stores a batch and all its items in one transaction; items already present are counted as duplicates. */
export async function appendBatch(
  db: StoreExecutor,
  batch: InboxBatchInput,
): Promise<{ inserted: number; duplicates: number }> {
  return storeOperation('append notification batch', () =>
    inTransaction(db, async (trx) => {
      const { id: batchId } = await trx
        .insertInto('notification_batches')
        .values({
          received_at: batch.receivedAt,
          validation_tokens: JSON.stringify(batch.validationTokens),
          payloads: JSON.stringify(batch.items.map((item) => item.payload)),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let inserted = 0;
      for (let start = 0; start < batch.items.length; start += ROWS_PER_INSERT) {
        const rows = batch.items.slice(start, start + ROWS_PER_INSERT).map((item, offset) => ({
          batch_id: batchId,
          item_index: start + offset,
          dedupe_key: item.dedupeKey,
          subscription_id: item.subscriptionId,
          tenant_id: item.tenantId,
          received_at: batch.receivedAt,
        }));
        const result = await trx
          .insertInto('notification_inbox')
          .values(rows)
          .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
          .executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      return { inserted, duplicates: batch.items.length - inserted };
    }),
  );
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

/** Deletes items finished before `olderThan`, then the batches left without items. */
export async function purgeFinished(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<{ items: number; batches: number }> {
  return storeOperation('purge finished notification items', () =>
    inTransaction(db, async (trx) => {
      const items = await trx
        .deleteFrom('notification_inbox')
        .where('status', 'in', ['done', 'rejected'])
        .where('finished_at', '<', olderThan)
        .executeTakeFirst();
      const batches = await trx
        .deleteFrom('notification_batches')
        .where('received_at', '<', olderThan)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('notification_inbox as item')
                .select('item.id')
                .whereRef('item.batch_id', '=', 'notification_batches.id'),
            ),
          ),
        )
        .executeTakeFirst();
      return { items: Number(items.numDeletedRows), batches: Number(batches.numDeletedRows) };
    }),
  );
}

/** Counts inbox items by status. */
export async function countByStatus(db: StoreExecutor): Promise<InboxCounts> {
  const rows = await storeOperation('count notification items', () =>
    db
      .selectFrom('notification_inbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('status')
      .execute(),
  );
  const counts = { pending: 0, done: 0, rejected: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
