import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor } from './database-schema';
import { canonicalIdList, normalizeEntraId } from './entra-ids';
import type { PresenceSource, PresenceStateTable } from './keeper-tables';
import { insertPresenceChange, type PresenceChange, type PresenceValue } from './presence-changes';
import { engineOf } from './store-engine';
import { storeOperation } from './store-failure';
import { inWriteTransaction } from './store-transaction';

/** A presence reading of one person, from a notification or a resync. */
export interface PresenceObservation extends PresenceValue {
  readonly tenantId: string;
  readonly userId: string;
  readonly observedAt: EpochMs;
  readonly source: PresenceSource;
  /** When the observation is recorded (the change row's `created_at`); defaults to `observedAt`. */
  readonly now?: EpochMs;
}

/** The last-known presence of one person. */
export interface PresenceStateRecord extends PresenceValue {
  readonly observedAt: EpochMs;
  /** Incremented on every real change. */
  readonly version: number;
}

const IDS_PER_QUERY = 500;

type StateRow = Selectable<PresenceStateTable>;

/**
 * Updates a person's last-known presence and, when it really changed (compared case-insensitively),
 * writes the change to the outbox in the same transaction and returns it. Repeats and observations
 * older than the stored one return null. Concurrent callers are serialised on the person's row.
 */
export async function applyPresenceObservation(
  db: StoreExecutor,
  observation: PresenceObservation,
): Promise<PresenceChange | null> {
  const tenantId = observation.tenantId;
  const userId = normalizeEntraId(observation.userId);
  return storeOperation('apply presence observation', () =>
    inWriteTransaction(db, async (executor) => {
      let current = await lockedState(executor, tenantId, userId);
      if (!current) {
        const inserted = await executor
          .insertInto('presence_state')
          .values({
            tenant_id: tenantId,
            user_id: userId,
            availability: observation.availability,
            activity: observation.activity,
            observed_at: observation.observedAt,
            version: 1,
          })
          .onConflict((conflict) => conflict.columns(['tenant_id', 'user_id']).doNothing())
          .returning('version')
          .executeTakeFirst();
        if (inserted) return recordChange(executor, observation, userId, null);
        current = await lockedState(executor, tenantId, userId);
        if (!current) return null;
      }
      if (observation.observedAt < current.observed_at) return null;
      if (samePresence(current, observation)) {
        await touchObservedAt(executor, current, observation.observedAt);
        return null;
      }
      const updated = await executor
        .updateTable('presence_state')
        .set((eb) => ({
          availability: observation.availability,
          activity: observation.activity,
          observed_at: observation.observedAt,
          version: eb('version', '+', 1),
        }))
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('version', '=', current.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return null;
      return recordChange(executor, observation, userId, current);
    }),
  );
}

/** The last-known presence of the given people who have one, by lower-case id. */
export async function getPresenceStates(
  db: StoreExecutor,
  tenantId: string,
  userIds: Iterable<string>,
): Promise<Map<string, PresenceStateRecord>> {
  const ids = canonicalIdList(userIds);
  const states = new Map<string, PresenceStateRecord>();
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const chunk = ids.slice(start, start + IDS_PER_QUERY);
    const rows = await storeOperation('read presence states', () =>
      db
        .selectFrom('presence_state')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('user_id', 'in', chunk)
        .execute(),
    );
    for (const row of rows) {
      states.set(row.user_id, {
        availability: row.availability,
        activity: row.activity,
        observedAt: row.observed_at,
        version: row.version,
      });
    }
  }
  return states;
}

function lockedState(
  executor: Kysely<DatabaseSchema>,
  tenantId: string,
  userId: string,
): Promise<StateRow | undefined> {
  const query = executor
    .selectFrom('presence_state')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId);
  return (engineOf(executor) === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

function samePresence(stored: PresenceValue, observed: PresenceValue): boolean {
  return (
    sameText(stored.availability, observed.availability) &&
    sameText(stored.activity, observed.activity)
  );
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

async function touchObservedAt(
  executor: Kysely<DatabaseSchema>,
  current: StateRow,
  observedAt: EpochMs,
): Promise<void> {
  if (observedAt <= current.observed_at) return;
  await executor
    .updateTable('presence_state')
    .set({ observed_at: observedAt })
    .where('tenant_id', '=', current.tenant_id)
    .where('user_id', '=', current.user_id)
    .execute();
}

function recordChange(
  executor: Kysely<DatabaseSchema>,
  observation: PresenceObservation,
  userId: string,
  from: PresenceValue | null,
): Promise<PresenceChange> {
  return insertPresenceChange(executor, {
    tenantId: observation.tenantId,
    userId,
    from: from && { availability: from.availability, activity: from.activity },
    to: { availability: observation.availability, activity: observation.activity },
    observedAt: observation.observedAt,
    source: observation.source,
    createdAt: observation.now ?? observation.observedAt,
  });
}
