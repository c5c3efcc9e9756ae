import { outboxAlertOf, type OutboxAlert } from './alert-queue';
import type { StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/** Lists a conversation's alerts (every status), oldest first. */
export async function listConversationAlerts(
  db: StoreExecutor,
  conversationId: string,
): Promise<OutboxAlert[]> {
  const rows = await storeOperation('list conversation alerts', () =>
    db
      .selectFrom('alert_outbox')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('id')
      .execute(),
  );
  return rows.map(outboxAlertOf);
}

/** The alerts among `ids` that belong to `conversationId`, oldest first. */
export async function conversationAlertsById(
  db: StoreExecutor,
  conversationId: string,
  ids: readonly number[],
): Promise<OutboxAlert[]> {
  if (ids.length === 0) return [];
  const rows = await storeOperation('read conversation alerts', () =>
    db
      .selectFrom('alert_outbox')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('id', 'in', [...ids])
      .orderBy('id')
      .execute(),
  );
  return rows.map(outboxAlertOf);
}
