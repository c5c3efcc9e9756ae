import type { Kysely, Selectable } from 'kysely';
import type {
  DatabaseSchema,
  EpochMs,
  PresenceSource,
  PresenceStateTable,
  StoreExecutor,
} from './database-schema';
import { canonicalIdList, normalizeEntraId } from './entra-ids';
import { laterSequence, supersedes, usableSequence, type PresencePosition } from './presence-order';
import {
  insertPresenceChange,
  type PresenceChange,
  type PresenceValue,
} from './presence-change-queue';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';

/** A presence reading of one person, from a notification or a resync. */
export interface PresenceObservation extends PresenceValue {
  readonly tenantId: string;
  readonly userId: string;
  readonly observedAt: EpochMs;
  readonly source: PresenceSource;
  /** Graph's `sequenceNumber` of this presence, when it carried one; non-strings are ignored. */
  readonly sequence?: string | null;
  /** When the observation is recorded (the change row's `created_at`); defaults to `observedAt`. */
  readonly now?: EpochMs;
}

/** The last-known presence of one person. */
export interface PresenceStateRecord extends PresenceValue {
  readonly observedAt: EpochMs;
  /** Incremented on every real change. */
  readonly version: number;
  /** Graph's sequence number of this presence; null when it came without one. */
  readonly sequence: string | null;
}

const IDS_PER_QUERY = 500;

type StateRow = Selectable<PresenceStateTable>;

/**
 * Updates a person's last-known presence and, when it really changed (compared case-insensitively),
 * writes the change to the outbox in the same transaction and returns it. Repeats and superseded
 * observations return null: when both sides carry Graph's sequence number only a greater one
 * applies, whatever the clocks say; otherwise one observed earlier than the stored one is ignored.
 * Concurrent callers are serialised on the person's row.
 */
export async function applyPresenceObservation(
  db: StoreExecutor,
  observation: PresenceObservation,
): Promise<PresenceChange | null> {
  const outcome = await applyOrDoubt(db, observation, null);
  return outcome === 'doubtful' ? null : outcome;
}

/** Decides whether a differing observation cannot be ordered against the stored presence. */
export type OrderDoubt = (
  stored: PresencePosition & { readonly version: number },
  observed: PresencePosition,
) => boolean;

/**
 * Applies an observation like `applyPresenceObservation`, except that one which differs from the
 * stored presence and which `inDoubt` cannot order against it changes nothing and returns
 * `doubtful`: the caller confirms it with a (later) presence read.
 */
export async function applyUnlessDoubtful(
  db: StoreExecutor,
  observation: PresenceObservation,
  inDoubt: OrderDoubt,
): Promise<PresenceChange | 'doubtful' | null> {
  return applyOrDoubt(db, observation, inDoubt);
}

async function applyOrDoubt(
  db: StoreExecutor,
  observation: PresenceObservation,
  inDoubt: OrderDoubt | null,
): Promise<PresenceChange | 'doubtful' | null> {
  const tenantId = observation.tenantId;
  const userId = normalizeEntraId(observation.userId);
  const position = {
    observedAt: observation.observedAt,
    sequence: usableSequence(observation.sequence),
  };
  return storeOperation('apply presence observation', () =>
    inTransaction(db, async (executor) => {
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
            sequence_number: position.sequence,
          })
          .onConflict((conflict) => conflict.columns(['tenant_id', 'user_id']).doNothing())
          .returning('version')
          .executeTakeFirst();
        if (inserted) return recordChange(executor, observation, userId, null);
        current = await lockedState(executor, tenantId, userId);
        if (!current) return null;
      }
      const differs = !samePresence(current, observation);
      const stored = { ...positionOf(current), version: current.version };
      if (differs && inDoubt?.(stored, position)) return 'doubtful';
      if (!supersedes(positionOf(current), position)) return null;
      if (!differs) {
        await touchPosition(executor, current, position);
        return null;
      }
      if (!(await replaceState(executor, current, observation, position))) return null;
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
        sequence: row.sequence_number,
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
  return query.forUpdate().executeTakeFirst();
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

async function replaceState(
  executor: Kysely<DatabaseSchema>,
  current: StateRow,
  observation: PresenceValue,
  observed: PresencePosition,
): Promise<boolean> {
  const updated = await executor
    .updateTable('presence_state')
    .set((eb) => ({
      availability: observation.availability,
      activity: observation.activity,
      observed_at: Math.max(current.observed_at, observed.observedAt),
      version: eb('version', '+', 1),
      sequence_number: laterSequence(current.sequence_number, observed.sequence),
    }))
    .where('tenant_id', '=', current.tenant_id)
    .where('user_id', '=', current.user_id)
    .where('version', '=', current.version)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

function positionOf(row: StateRow): PresencePosition {
  return { observedAt: row.observed_at, sequence: usableSequence(row.sequence_number) };
}

async function touchPosition(
  executor: Kysely<DatabaseSchema>,
  current: StateRow,
  observed: PresencePosition,
): Promise<void> {
  const observedAt = Math.max(current.observed_at, observed.observedAt);
  const sequence = laterSequence(current.sequence_number, observed.sequence);
  if (observedAt === current.observed_at && sequence === current.sequence_number) return;
  await executor
    .updateTable('presence_state')
    .set({ observed_at: observedAt, sequence_number: sequence })
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
