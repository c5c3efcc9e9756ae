import type { StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { listWatches, type Watch } from './watches';

/**
 * A watcher left these conversations: removes the watches they added there and the pending alerts
 * of those watches, in one transaction. Returns the removed watches (the keeper may shrink).
 */
export async function removeDepartedWatcher(
  db: StoreExecutor,
  tenantId: string,
  watcherId: string,
  conversationIds: Iterable<string>,
): Promise<Watch[]> {
  const ids = [...new Set(conversationIds)];
  if (ids.length === 0) return [];
  return storeOperation('remove departed watcher', () =>
    inTransaction(db, async (executor) => {
      const watches = (await listWatches(executor, { tenantId, watcherId })).filter((watch) =>
        ids.includes(watch.conversationId),
      );
      for (const watch of watches) {
        await executor.deleteFrom('watches').where('id', '=', watch.id).execute();
        await executor
          .deleteFrom('alert_outbox')
          .where('conversation_id', '=', watch.conversationId)
          .where('target_id', '=', normalizeEntraId(watch.targetId))
          .where('status', '=', 'pending')
          .execute();
      }
      return watches;
    }),
  );
}
