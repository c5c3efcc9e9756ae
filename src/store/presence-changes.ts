import type { Selectable } from 'kysely';
import type {
  EpochMs,
  PresenceChangesTable,
  PresenceSource,
  StoreExecutor,
} from './database-schema';
import { storeOperation } from './store-failure';

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
export function presenceChangeOf(row: Selectable<PresenceChangesTable>): PresenceChange {
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
