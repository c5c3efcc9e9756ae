import type { Selectable } from 'kysely';
import type { AlertOutboxTable, AlertStatus, EpochMs, StoreExecutor } from './database-schema';
import type { PresenceValue } from './presence-change-queue';
import { storeOperation } from './store-failure';

/** Which part of a presence change an alert is about. */
export type AlertKind = 'availability' | 'activity';

/** The card data of one alert: who changed, from what to what, and when. */
export interface AlertPayload {
  readonly changeId: number;
  readonly targetId: string;
  readonly targetName: string;
  readonly kind: AlertKind;
  readonly from: PresenceValue;
  readonly to: PresenceValue;
  readonly observedAt: EpochMs;
}

/** A queued alert as read. */
export interface OutboxAlert {
  readonly id: number;
  readonly changeId: number;
  readonly conversationId: string;
  readonly tenantId: string;
  readonly targetId: string;
  readonly payload: AlertPayload;
  readonly status: AlertStatus;
  readonly attempts: number;
  readonly nextAttemptAt: EpochMs;
  readonly createdAt: EpochMs;
  readonly sentAt: EpochMs | null;
  readonly lastError: string | null;
}

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

/** Maps an outbox row to an alert. */
export function outboxAlertOf(row: Selectable<AlertOutboxTable>): OutboxAlert {
  return {
    id: row.id,
    changeId: row.change_id,
    conversationId: row.conversation_id,
    tenantId: row.tenant_id,
    targetId: row.target_id,
    payload: JSON.parse(row.payload) as AlertPayload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    lastError: row.last_error,
  };
}
