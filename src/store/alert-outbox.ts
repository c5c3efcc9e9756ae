import { sql, type Selectable } from 'kysely';
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

/** An alert about to be queued for a conversation. */
export interface NewAlert {
  readonly conversationId: string;
  readonly tenantId: string;
  readonly payload: AlertPayload;
  readonly nextAttemptAt: EpochMs;
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

/** Queues an alert; a second alert for the same change and conversation is ignored. True when queued. */
export async function enqueueAlert(
  db: StoreExecutor,
  alert: NewAlert,
  now: EpochMs,
): Promise<boolean> {
  const result = await storeOperation('enqueue alert', () =>
    db
      .insertInto('alert_outbox')
      .values({
        change_id: alert.payload.changeId,
        conversation_id: alert.conversationId,
        tenant_id: alert.tenantId,
        target_id: alert.payload.targetId,
        payload: JSON.stringify(alert.payload),
        next_attempt_at: alert.nextAttemptAt,
        created_at: now,
      })
      .onConflict((conflict) => conflict.columns(['change_id', 'conversation_id']).doNothing())
      .executeTakeFirst(),
  );
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * When a conversation's pending, unclaimed alerts fall due, if that is after `now`: a new alert
 * joins them so changes close together go out as one card.
 */
export async function pendingDueAfter(
  db: StoreExecutor,
  conversationId: string,
  now: EpochMs,
): Promise<EpochMs | undefined> {
  const row = await storeOperation('find pending alert due time', () =>
    db
      .selectFrom('alert_outbox')
      .select((eb) => eb.fn.max('next_attempt_at').as('due'))
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'pending')
      .where('lease_owner', 'is', null)
      .where('next_attempt_at', '>', now)
      .executeTakeFirst(),
  );
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
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

/** The earliest time a pending alert can be claimed (due and unleased), or undefined when none is pending. */
export async function nextAlertDueAt(db: StoreExecutor): Promise<EpochMs | undefined> {
  const row = await storeOperation('find next alert due time', () =>
    db
      .selectFrom('alert_outbox')
      .select(
        sql<
          number | null
        >`min(case when lease_until is not null and lease_until > next_attempt_at then lease_until else next_attempt_at end)`.as(
          'due',
        ),
      )
      .where('status', '=', 'pending')
      .executeTakeFirst(),
  );
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
}

/** Deletes alerts finished (sent, failed, dropped) before `olderThan`; returns how many. */
export async function purgeFinishedAlerts(db: StoreExecutor, olderThan: EpochMs): Promise<number> {
  const result = await storeOperation('purge finished alerts', () =>
    db
      .deleteFrom('alert_outbox')
      .where('status', '!=', 'pending')
      .where('created_at', '<', olderThan)
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
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
