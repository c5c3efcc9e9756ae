import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';

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
