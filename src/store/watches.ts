import type { Expression, ExpressionBuilder, Selectable, SqlBool } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor, WatchesTable } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';

/** What a watch asks for: who watches whom, where, and how. */
export interface WatchInput {
  readonly tenantId: string;
  readonly conversationId: string;
  /** Entra object id of the user who asked. */
  readonly watcherId: string;
  /** Entra object id of the watched person. */
  readonly targetId: string;
  /** The watched person's display name as seen now, when known (personal data: never logged). */
  readonly targetName?: string;
  /** Notify only on becoming Available. */
  readonly onlyWhenAvailable: boolean;
  /** Notify once, then stop. */
  readonly once: boolean;
  /** Also notify on activity-only changes. */
  readonly includeActivity: boolean;
}

/** A stored watch; ids are in their stored (lower-case) form. */
export interface Watch extends WatchInput {
  readonly id: number;
  readonly createdAt: EpochMs;
  /** When the conversation was last shown the person's presence: changes observed until then are not alerted. */
  readonly baselineAt: EpochMs;
}

/** Which watches to list; every given field must match. */
export interface WatchFilter {
  readonly tenantId?: string;
  readonly conversationId?: string;
  /** A Teams channel (without a reply-chain suffix): the channel itself and each of its reply chains. */
  readonly channelId?: string;
  readonly watcherId?: string;
  readonly targetId?: string;
}

/** Adds a watch; watching the same person again in a conversation updates its options and watcher. */
export async function upsertWatch(
  db: StoreExecutor,
  watch: WatchInput,
  now: EpochMs,
): Promise<Watch> {
  const flags = {
    watcher_id: normalizeEntraId(watch.watcherId),
    only_when_available: flag(watch.onlyWhenAvailable),
    once: flag(watch.once),
    include_activity: flag(watch.includeActivity),
  };
  const targetName = watch.targetName?.trim() || null;
  const row = await storeOperation('upsert watch', () =>
    db
      .insertInto('watches')
      .values({
        ...flags,
        tenant_id: watch.tenantId,
        conversation_id: watch.conversationId,
        target_id: normalizeEntraId(watch.targetId),
        target_name: targetName,
        created_at: now,
      })
      .onConflict((conflict) =>
        conflict.columns(['conversation_id', 'target_id']).doUpdateSet((eb) => ({
          ...flags,
          target_name: eb.fn.coalesce('excluded.target_name', 'watches.target_name'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return watchOf(row);
}

/**
 * Moves the baseline of a conversation's watches of `targetIds` to `shownAt` (never back): the
 * conversation was just shown their presence, so changes observed until then are not alerted.
 */
export async function rebaselineWatches(
  db: StoreExecutor,
  conversationId: string,
  targetIds: readonly string[],
  shownAt: EpochMs,
): Promise<void> {
  if (targetIds.length === 0) return;
  await storeOperation('rebaseline watches', () =>
    db
      .updateTable('watches')
      .set({ baseline_at: shownAt })
      .where('conversation_id', '=', conversationId)
      .where('target_id', 'in', [...new Set(targetIds.map(normalizeEntraId))])
      .where('baseline_at', '<', shownAt)
      .execute(),
  );
}

/** Records a person's display name, as just looked up, in every watch of them in the tenant. */
export async function renameWatchedPerson(
  db: StoreExecutor,
  tenantId: string,
  targetId: string,
  targetName: string,
): Promise<void> {
  await storeOperation('rename watched person', () =>
    db
      .updateTable('watches')
      .set({ target_name: targetName })
      .where('tenant_id', '=', tenantId)
      .where('target_id', '=', normalizeEntraId(targetId))
      .where((eb) => eb.or([eb('target_name', 'is', null), eb('target_name', '!=', targetName)]))
      .execute(),
  );
}

/** Removes one person from a conversation's watches; true when there was such a watch. */
export async function removeWatch(
  db: StoreExecutor,
  conversationId: string,
  targetId: string,
): Promise<boolean> {
  const result = await storeOperation('remove watch', () =>
    db
      .deleteFrom('watches')
      .where('conversation_id', '=', conversationId)
      .where('target_id', '=', normalizeEntraId(targetId))
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows) > 0;
}

/** Lists the watches matching the filter, oldest first. */
export async function listWatches(db: StoreExecutor, filter: WatchFilter = {}): Promise<Watch[]> {
  const rows = await storeOperation('list watches', () =>
    db.selectFrom('watches').selectAll().where(matching(filter)).orderBy('id').execute(),
  );
  return rows.map(watchOf);
}

/**
 * Removes the watches matching the filter in one statement and returns exactly those it removed
 * (a watch added meanwhile is either removed and returned, or left), oldest first.
 */
export async function deleteWatches(db: StoreExecutor, filter: WatchFilter): Promise<Watch[]> {
  const rows = await storeOperation('delete watches', () =>
    db.deleteFrom('watches').where(matching(filter)).returningAll().execute(),
  );
  return rows.map(watchOf).sort((a, b) => a.id - b.id);
}

function matching(filter: WatchFilter) {
  return (eb: ExpressionBuilder<DatabaseSchema, 'watches'>) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.tenantId !== undefined) conditions.push(eb('tenant_id', '=', filter.tenantId));
    if (filter.conversationId !== undefined) {
      conditions.push(eb('conversation_id', '=', filter.conversationId));
    }
    if (filter.channelId !== undefined) conditions.push(inChannel(eb, filter.channelId));
    if (filter.watcherId !== undefined) {
      conditions.push(eb('watcher_id', '=', normalizeEntraId(filter.watcherId)));
    }
    if (filter.targetId !== undefined) {
      conditions.push(eb('target_id', '=', normalizeEntraId(filter.targetId)));
    }
    return eb.and(conditions);
  };
}

/** The channel itself or one of its reply chains (`channelId;messageid=...`), matched exactly. */
function inChannel(
  eb: ExpressionBuilder<DatabaseSchema, 'watches'>,
  channelId: string,
): Expression<SqlBool> {
  const prefix = `${channelId};`;
  const head = eb.fn<string>('substr', ['conversation_id', eb.lit(1), eb.lit(prefix.length)]);
  return eb.or([eb('conversation_id', '=', channelId), eb(head, '=', prefix)]);
}

/** For the planner: each watcher of a tenant with the people they watch in any conversation (lower-case ids, sorted). */
export async function watchedPeopleByWatcher(
  db: StoreExecutor,
  tenantId: string,
): Promise<Map<string, Set<string>>> {
  const rows = await storeOperation('list watched people by watcher', () =>
    db
      .selectFrom('watches')
      .select(['watcher_id', 'target_id'])
      .distinct()
      .where('tenant_id', '=', tenantId)
      .orderBy('watcher_id')
      .orderBy('target_id')
      .execute(),
  );
  const byWatcher = new Map<string, Set<string>>();
  for (const row of rows) {
    const targets = byWatcher.get(row.watcher_id);
    if (targets) targets.add(row.target_id);
    else byWatcher.set(row.watcher_id, new Set([row.target_id]));
  }
  return byWatcher;
}

function flag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** A stored watch row as the app sees it. */
export function watchOf(row: Selectable<WatchesTable>): Watch {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    watcherId: row.watcher_id,
    targetId: row.target_id,
    onlyWhenAvailable: Boolean(row.only_when_available),
    once: Boolean(row.once),
    includeActivity: Boolean(row.include_activity),
    createdAt: row.created_at,
    baselineAt: row.baseline_at,
    ...(row.target_name === null ? {} : { targetName: row.target_name }),
  };
}
