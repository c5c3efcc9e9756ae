import type { Kysely } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import { outboxAlertOf, type OutboxAlert } from './alert-outbox';
import { engineOf } from './store-engine';
import { storeOperation } from './store-failure';
import { inWriteTransaction } from './store-transaction';

/** How to claim alerts: who claims, how many conversations, for how long, judged at which time. */
export interface AlertClaimOptions {
  readonly owner: string;
  readonly conversationLimit: number;
  readonly leaseMs: number;
  readonly now: EpochMs;
}

/**
 * Leases the due alerts of up to `conversationLimit` conversations whose oldest pending alert is
 * due and unleased, so a conversation is worked by one claimer at a time and in order. On
 * PostgreSQL those oldest rows are locked with SKIP LOCKED, so concurrent claimers split the work.
 * Returns the leased alerts in id order.
 */
export async function claimDueAlerts(
  db: StoreExecutor,
  options: AlertClaimOptions,
): Promise<OutboxAlert[]> {
  if (options.conversationLimit <= 0) return [];
  return storeOperation('claim due alerts', () =>
    inWriteTransaction(db, async (executor) => {
      const heads = await lockConversationHeads(executor, options);
      if (heads.length === 0) return [];
      const rows = await executor
        .updateTable('alert_outbox')
        .set({ lease_owner: options.owner, lease_until: options.now + options.leaseMs })
        .where('status', '=', 'pending')
        .where('conversation_id', 'in', heads)
        .where('next_attempt_at', '<=', options.now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', options.now)]))
        .returningAll()
        .execute();
      return rows.map(outboxAlertOf).sort((a, b) => a.id - b.id);
    }),
  );
}

async function lockConversationHeads(
  executor: Kysely<DatabaseSchema>,
  options: AlertClaimOptions,
): Promise<string[]> {
  const heads = executor
    .selectFrom('alert_outbox as head')
    .select('head.conversation_id')
    .where('head.status', '=', 'pending')
    .where('head.next_attempt_at', '<=', options.now)
    .where((eb) =>
      eb.or([eb('head.lease_until', 'is', null), eb('head.lease_until', '<=', options.now)]),
    )
    .where('head.id', '=', (eb) =>
      eb
        .selectFrom('alert_outbox as other')
        .select((inner) => inner.fn.min('other.id').as('first_id'))
        .whereRef('other.conversation_id', '=', 'head.conversation_id')
        .where('other.status', '=', 'pending'),
    )
    .orderBy('head.id')
    .limit(options.conversationLimit);
  const locked = engineOf(executor) === 'postgres' ? heads.forUpdate().skipLocked() : heads;
  const rows = await locked.execute();
  return rows.map((row) => row.conversation_id);
}

/** Marks claimed alerts delivered. */
export async function markAlertsSent(
  db: StoreExecutor,
  ids: readonly number[],
  now: EpochMs,
): Promise<void> {
  if (ids.length === 0) return;
  await storeOperation('mark alerts sent', () =>
    db
      .updateTable('alert_outbox')
      .set((eb) => ({
        status: 'sent',
        sent_at: now,
        attempts: eb('attempts', '+', 1),
        lease_owner: null,
        lease_until: null,
        last_error: null,
      }))
      .where('id', 'in', [...ids])
      .where('status', '=', 'pending')
      .execute(),
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
 * Puts claimed alerts back as pending, due at `retryAt`; the conversation's later pending alerts
 * wait at least as long, so order is kept and they join the same card.
 */
export async function rescheduleAlerts(db: StoreExecutor, retry: AlertRetry): Promise<void> {
  if (retry.ids.length === 0) return;
  await storeOperation('reschedule alerts', () =>
    inWriteTransaction(db, async (executor) => {
      await executor
        .updateTable('alert_outbox')
        .set((eb) => ({
          next_attempt_at: retry.retryAt,
          attempts: retry.attempted ? eb('attempts', '+', 1) : eb.ref('attempts'),
          lease_owner: null,
          lease_until: null,
          last_error: retry.error,
        }))
        .where('id', 'in', [...retry.ids])
        .where('status', '=', 'pending')
        .execute();
      await executor
        .updateTable('alert_outbox')
        .set({ next_attempt_at: retry.retryAt })
        .where('conversation_id', '=', retry.conversationId)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<', retry.retryAt)
        .execute();
    }),
  );
}

/** Ends claimed alerts as `failed` (retries exhausted) or `dropped` (nothing to send or nowhere to send it). */
export async function finishAlerts(
  db: StoreExecutor,
  ids: readonly number[],
  status: 'failed' | 'dropped',
  error: string,
  attempted: boolean,
): Promise<void> {
  if (ids.length === 0) return;
  await storeOperation('finish alerts', () =>
    db
      .updateTable('alert_outbox')
      .set((eb) => ({
        status,
        last_error: error,
        attempts: attempted ? eb('attempts', '+', 1) : eb.ref('attempts'),
        lease_owner: null,
        lease_until: null,
      }))
      .where('id', 'in', [...ids])
      .where('status', '=', 'pending')
      .execute(),
  );
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
