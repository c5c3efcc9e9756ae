import type { StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { deleteWatches, type Watch } from './watches';

/**
 * Forgets a conversation the bot can no longer post into (removed, uninstalled, gone): deletes its
 * watches, its reference and its pending alerts in one transaction. Returns the removed watches,
 * so the keeper can shrink the watchers' subscriptions.
 */
export async function forgetConversation(
  db: StoreExecutor,
  conversationId: string,
): Promise<Watch[]> {
  return storeOperation('forget conversation', () =>
    inTransaction(db, async (executor) => {
      const watches = await deleteWatches(executor, { conversationId });
      await executor
        .deleteFrom('conversation_references')
        .where('conversation_id', '=', conversationId)
        .execute();
      await executor
        .deleteFrom('alert_outbox')
        .where('conversation_id', '=', conversationId)
        .where('status', '=', 'pending')
        .where('lease_owner', 'is', null)
        .execute();
      return watches;
    }),
  );
}
