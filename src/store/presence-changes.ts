import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import type { PresenceChangesTable, PresenceSource } from './keeper-tables';
import { engineOf } from './store-engine';
import { storeOperation } from './store-failure';
import { inWriteTransaction } from './store-transaction';

/** A person's presence: availability and activity, as Graph reported them. */
export interface PresenceValue {
  readonly availability: string;
  readonly activity: string;
}

/** One real change of a person's presence, as written to the outbox for the bot. */
export interface PresenceChange {
  readonly id: number;
  readonly tenantId: string;
  readonly userId: string;
  /** Null when nothing was known before (the first observation of the person). */
  readonly from: PresenceValue | null;
  readonly to: PresenceValue;
  readonly observedAt: EpochMs;
  readonly source: PresenceSource;
  readonly createdAt: EpochMs;
}

/** A change about to be written to the outbox. */
export type NewPresenceChange = Omit<PresenceChange, 'id'>;

/** How to claim changes: who claims, how many, for how long, judged at which time. */
export interface PresenceChangeClaimOptions {
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly now: EpochMs;
}

/** Writes a change to the outbox (pass the transaction that updated the last-known presence). */
export async function insertPresenceChange(
  executor: StoreExecutor,
  change: NewPresenceChange,
): Promise<PresenceChange> {
  const row = await executor
    .insertInto('presence_changes')
    .values({
      tenant_id: change.tenantId,
      user_id: change.userId,
      from_availability: change.from?.availability ?? null,
      from_activity: change.from?.activity ?? null,
      to_availability: change.to.availability,
      to_activity: change.to.activity,
      observed_at: change.observedAt,
      source: change.source,
      created_at: change.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return presenceChangeOf(row);
}

/**
 * Leases up to `limit` unconsumed changes whose lease is empty or expired, in the order they
 * happened. On PostgreSQL locked rows are skipped, so concurrent consumers never get the same change.
 */
export async function claimPresenceChanges(
  db: StoreExecutor,
  options: PresenceChangeClaimOptions,
): Promise<PresenceChange[]> {
  if (options.limit <= 0) return [];
  return storeOperation('claim presence changes', () =>
    inWriteTransaction(db, async (executor) => {
      const rows = await leaseChanges(executor, options);
      return rows.map(presenceChangeOf).sort((a, b) => a.id - b.id);
    }),
  );
}

async function leaseChanges(executor: Kysely<DatabaseSchema>, options: PresenceChangeClaimOptions) {
  const candidates = executor
    .selectFrom('presence_changes')
    .select('id')
    .where('consumed_at', 'is', null)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', options.now)]))
    .orderBy('id')
    .limit(options.limit);
  const locked =
    engineOf(executor) === 'postgres' ? candidates.forUpdate().skipLocked() : candidates;
  return executor
    .updateTable('presence_changes')
    .set({ lease_owner: options.owner, lease_until: options.now + options.leaseMs })
    .where('id', 'in', locked)
    .returningAll()
    .execute();
}

/** Marks changes consumed (pass the transaction that queued their alerts); they are never claimed again. */
export async function markPresenceChangesConsumed(
  executor: StoreExecutor,
  ids: readonly number[],
  now: EpochMs,
): Promise<void> {
  if (ids.length === 0) return;
  await storeOperation('mark presence changes consumed', () =>
    executor
      .updateTable('presence_changes')
      .set({ consumed_at: now, lease_owner: null, lease_until: null })
      .where('id', 'in', [...ids])
      .where('consumed_at', 'is', null)
      .execute(),
  );
}

/** Deletes changes consumed before `olderThan` (no presence history is kept); returns how many. */
export async function purgeConsumedPresenceChanges(
  db: StoreExecutor,
  olderThan: EpochMs,
): Promise<number> {
  const result = await storeOperation('purge consumed presence changes', () =>
    db.deleteFrom('presence_changes').where('consumed_at', '<', olderThan).executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}

function presenceChangeOf(row: Selectable<PresenceChangesTable>): PresenceChange {
  const from =
    row.from_availability === null || row.from_activity === null
      ? null
      : { availability: row.from_availability, activity: row.from_activity };
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    from,
    to: { availability: row.to_availability, activity: row.to_activity },
    observedAt: row.observed_at,
    source: row.source,
    createdAt: row.created_at,
  };
}
