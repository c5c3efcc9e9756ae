import type { Kysely } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { listWatches, removeWatch, type Watch } from './watches';

function tenantKey(tenantId: string): string {
  return tenantId.trim().toLowerCase();
}

/**
 * Opts a user out: records it and, in one transaction, removes every watch of them in the tenant,
 * the pending alerts and unprocessed presence changes about them, and their last-known presence.
 * Returns the removed watches (so their conversations can be told and the keeper can shrink).
 */
export async function optOutOfWatching(
  db: StoreExecutor,
  tenantId: string,
  userId: string,
  now: EpochMs,
): Promise<Watch[]> {
  const row = { tenant_id: tenantKey(tenantId), user_id: normalizeEntraId(userId) };
  return storeOperation('opt out of watching', () =>
    inTransaction(db, async (executor) => {
      await executor
        .insertInto('privacy_opt_outs')
        .values({ ...row, opted_out_at: now })
        .onConflict((conflict) => conflict.columns(['tenant_id', 'user_id']).doNothing())
        .execute();
      const watches = (await listWatches(executor, { targetId: userId })).filter(
        (watch) => tenantKey(watch.tenantId) === row.tenant_id,
      );
      for (const watch of watches) await removeWatch(executor, watch.conversationId, userId);
      await purgeQueuedPresence(executor, row.tenant_id, row.user_id);
      return watches;
    }),
  );
}

async function purgeQueuedPresence(
  executor: Kysely<DatabaseSchema>,
  tenant: string,
  userId: string,
): Promise<void> {
  await executor
    .deleteFrom('alert_outbox')
    .where((eb) => eb(eb.fn('lower', ['tenant_id']), '=', tenant))
    .where('target_id', '=', userId)
    .where('status', '=', 'pending')
    .execute();
  await executor
    .deleteFrom('presence_changes')
    .where((eb) => eb(eb.fn('lower', ['tenant_id']), '=', tenant))
    .where('user_id', '=', userId)
    .where('consumed_at', 'is', null)
    .execute();
  await executor
    .deleteFrom('presence_state')
    .where((eb) => eb(eb.fn('lower', ['tenant_id']), '=', tenant))
    .where('user_id', '=', userId)
    .execute();
}

/** Opts a user back in; true when they had opted out. */
export async function optInToWatching(
  db: StoreExecutor,
  tenantId: string,
  userId: string,
): Promise<boolean> {
  const result = await storeOperation('opt in to watching', () =>
    db
      .deleteFrom('privacy_opt_outs')
      .where('tenant_id', '=', tenantKey(tenantId))
      .where('user_id', '=', normalizeEntraId(userId))
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows) > 0;
}

/** Which of `userIds` have opted out (returned in stored, lower-case form). */
export async function optedOutAmong(
  db: StoreExecutor,
  tenantId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await storeOperation('list opt-outs', () =>
    db
      .selectFrom('privacy_opt_outs')
      .select('user_id')
      .where('tenant_id', '=', tenantKey(tenantId))
      .where('user_id', 'in', [...new Set(userIds.map(normalizeEntraId))])
      .execute(),
  );
  return new Set(rows.map((row) => row.user_id));
}

/** True when the user has opted out of being watched. */
export async function hasOptedOut(
  db: StoreExecutor,
  tenantId: string,
  userId: string,
): Promise<boolean> {
  return (await optedOutAmong(db, tenantId, [userId])).has(normalizeEntraId(userId));
}
