import type { Kysely, Selectable } from 'kysely';
import type {
  DatabaseSchema,
  EpochMs,
  PresenceChangesTable,
  PresenceSource,
  Store,
  StoreExecutor,
} from './database-schema';
import { storeOperation } from './store-failure';
import { inSerialTransaction } from './store-transaction';
import {
  leaseFor,
  leaseIsFree,
  NOTHING_SETTLED,
  RELEASED,
  settlementOf,
  type ClaimOptions,
  type LeaseHolder,
  type LeaseSettlement,
} from './work-queue';

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

/** The PostgreSQL advisory lock that serialises presence-change claims across instances. */
const CLAIM_LOCK_KEY = 0x70770002;

/**
 * Leases up to `limit` unconsumed changes whose lease is empty or expired, in the order they
 * happened, skipping a person while an earlier change of theirs is leased and unconsumed: one
 * person's changes are fanned out in order even by several instances. On PostgreSQL claims are
 * serialised by a transaction-scoped advisory lock, so each claim sees the others' leases.
 */
export async function claimPresenceChanges(
  store: Store,
  options: ClaimOptions,
): Promise<PresenceChange[]> {
  if (options.limit <= 0) return [];
  return storeOperation('claim presence changes', () =>
    inSerialTransaction(store, CLAIM_LOCK_KEY, async (executor) => {
      const rows = await leaseChanges(executor, options);
      return rows.map(presenceChangeOf).sort((a, b) => a.id - b.id);
    }),
  );
}

async function leaseChanges(executor: Kysely<DatabaseSchema>, options: ClaimOptions) {
  const candidates = executor
    .selectFrom('presence_changes')
    .select('id')
    .where('consumed_at', 'is', null)
    .where(leaseIsFree(options.now))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('presence_changes as earlier')
            .select('earlier.id')
            .whereRef('earlier.tenant_id', '=', 'presence_changes.tenant_id')
            .whereRef('earlier.user_id', '=', 'presence_changes.user_id')
            .whereRef('earlier.id', '<', 'presence_changes.id')
            .where('earlier.consumed_at', 'is', null)
            .where('earlier.lease_until', '>', options.now),
        ),
      ),
    )
    .orderBy('id')
    .limit(options.limit);
  return executor
    .updateTable('presence_changes')
    .set(leaseFor(options))
    .where('id', 'in', candidates)
    .returningAll()
    .execute();
}

/**
 * Marks the changes `holder` still leases consumed (pass the transaction that queues their alerts,
 * and queue alerts only for the `held` ones); they are never claimed again.
 */
export async function markPresenceChangesConsumed(
  executor: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
): Promise<LeaseSettlement> {
  if (ids.length === 0) return NOTHING_SETTLED;
  const rows = await storeOperation('mark presence changes consumed', () =>
    executor
      .updateTable('presence_changes')
      .set({ ...RELEASED, consumed_at: holder.now })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', holder.owner)
      .returning('id')
      .execute(),
  );
  return settlementOf(ids, rows);
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

/** Maps a `presence_changes` row to a change. */
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
