import { sql, type Kysely, type Updateable } from 'kysely';
import type { AlertOutboxTable, DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import { outboxAlertOf, type AlertPayload, type OutboxAlert } from './conversation-alerts';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import {
  extendHeld,
  leaseFor,
  leaseIsFree,
  NOTHING_SETTLED,
  RELEASED,
  settlementOf,
  type ClaimOptions,
  type LeaseHolder,
  type LeaseSettlement,
} from './work-queue';

/** An alert about to be queued for a conversation. */
export interface NewAlert {
  readonly conversationId: string;
  readonly tenantId: string;
  readonly payload: AlertPayload;
  readonly nextAttemptAt: EpochMs;
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

/**
 * Leases the due alerts of up to `limit` conversations whose oldest pending alert is
 * due and unleased, so a conversation is worked by one claimer at a time and in order. On
 * PostgreSQL those oldest rows are locked with SKIP LOCKED, so concurrent claimers split the work.
 * Returns the leased alerts in id order.
 */
export async function claimDueAlerts(
  db: StoreExecutor,
  options: ClaimOptions,
): Promise<OutboxAlert[]> {
  if (options.limit <= 0) return [];
  return storeOperation('claim due alerts', () =>
    inTransaction(db, async (executor) => {
      const heads = await lockConversationHeads(executor, options);
      if (heads.length === 0) return [];
      const rows = await executor
        .updateTable('alert_outbox')
        .set(leaseFor(options))
        .where('status', '=', 'pending')
        .where('conversation_id', 'in', heads)
        .where('next_attempt_at', '<=', options.now)
        .where(leaseIsFree(options.now))
        .returningAll()
        .execute();
      return rows.map(outboxAlertOf).sort((a, b) => a.id - b.id);
    }),
  );
}

async function lockConversationHeads(
  executor: Kysely<DatabaseSchema>,
  options: ClaimOptions,
): Promise<string[]> {
  const heads = executor
    .selectFrom('alert_outbox as head')
    .select('head.conversation_id')
    .where('head.status', '=', 'pending')
    .where('head.next_attempt_at', '<=', options.now)
    .where(leaseIsFree(options.now, 'head'))
    .where('head.id', '=', (eb) =>
      eb
        .selectFrom('alert_outbox as other')
        .select((inner) => inner.fn.min('other.id').as('first_id'))
        .whereRef('other.conversation_id', '=', 'head.conversation_id')
        .where('other.status', '=', 'pending'),
    )
    .orderBy('head.id')
    .limit(options.limit);
  const rows = await heads.forUpdate().skipLocked().execute();
  return rows.map((row) => row.conversation_id);
}

/** Extends the leases `holder` still has on `ids` (before a send, so a slow pass keeps its conversation). */
export function extendAlertLeases(
  db: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
  leaseMs: number,
): Promise<LeaseSettlement> {
  return extendHeld(db, 'alert_outbox', holder, ids, leaseMs);
}

/** Marks the alerts `holder` still leases delivered. */
export function markAlertsSent(
  db: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
): Promise<LeaseSettlement> {
  return storeOperation('mark alerts sent', () =>
    settleHeld(db, holder, ids, true, { status: 'sent', sent_at: holder.now, last_error: null }),
  );
}

/** What to record when alerts are put back for a later try. */
export interface AlertRetry {
  readonly conversationId: string;
  readonly ids: readonly number[];
  readonly retryAt: EpochMs;
  /** Whether a send was attempted (counted in `attempts`), or the alerts were only deferred. */
  readonly attempted: boolean;
  readonly error: string | null;
}

/**
 * Puts the claimed alerts `holder` still leases back as pending, due at `retryAt`; the
 * conversation's later pending alerts wait at least as long, so order is kept and they join the
 * same card.
 */
export async function rescheduleAlerts(
  db: StoreExecutor,
  holder: LeaseHolder,
  retry: AlertRetry,
): Promise<LeaseSettlement> {
  if (retry.ids.length === 0) return NOTHING_SETTLED;
  return storeOperation('reschedule alerts', () =>
    inTransaction(db, async (executor) => {
      const settled = await settleHeld(executor, holder, retry.ids, retry.attempted, {
        next_attempt_at: retry.retryAt,
        last_error: retry.error,
      });
      if (settled.held.length === 0) return settled;
      await executor
        .updateTable('alert_outbox')
        .set({ next_attempt_at: retry.retryAt })
        .where('conversation_id', '=', retry.conversationId)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<', retry.retryAt)
        .execute();
      return settled;
    }),
  );
}

/** How claimed alerts end: `failed` (retries exhausted) or `dropped` (nothing to send or nowhere to send it). */
export interface AlertEnding {
  readonly status: 'failed' | 'dropped';
  readonly error: string;
  /** Whether a send was attempted (counted in `attempts`). */
  readonly attempted: boolean;
}

/** Ends the claimed alerts `holder` still leases as `failed` or `dropped`. */
export function finishAlerts(
  db: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
  ending: AlertEnding,
): Promise<LeaseSettlement> {
  return storeOperation('finish alerts', () =>
    settleHeld(db, holder, ids, ending.attempted, {
      status: ending.status,
      last_error: ending.error,
    }),
  );
}

/**
 * Writes `values` to the alerts among `ids` that `holder` still leases and releases them, counting
 * an attempt when one was made.
 */
async function settleHeld(
  db: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
  attempted: boolean,
  values: Pick<
    Updateable<AlertOutboxTable>,
    'status' | 'sent_at' | 'next_attempt_at' | 'last_error'
  >,
): Promise<LeaseSettlement> {
  if (ids.length === 0) return NOTHING_SETTLED;
  const rows = await db
    .updateTable('alert_outbox')
    .set((eb) => ({
      ...values,
      ...RELEASED,
      attempts: attempted ? eb('attempts', '+', 1) : eb.ref('attempts'),
    }))
    .where('id', 'in', [...ids])
    .where('lease_owner', '=', holder.owner)
    .returning('id')
    .execute();
  return settlementOf(ids, rows);
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
