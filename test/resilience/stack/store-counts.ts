import { sql } from 'kysely';
import type { SimUser } from '../../../tools/simulator/directory/sim-user';
import type { RunningSimulator } from '../../../tools/simulator/simulator-server';
import type { StoreExecutor } from '../../../src/store/database-schema';
import { getPresenceStates } from '../../../src/store/presence-state';

/** What the store holds after a scenario, counted the way the suites assert on it. */
export interface StoreCounts {
  /** Presence changes with a previous value (real changes, not first sightings). */
  readonly changes: number;
  /** Changes not yet fanned out to alerts. */
  readonly unconsumedChanges: number;
  readonly alertsByStatus: Readonly<Record<string, number>>;
  readonly inboxByStatus: Readonly<Record<string, number>>;
}

async function countBy(
  db: StoreExecutor,
  table: 'alert_outbox' | 'notification_inbox',
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom(table)
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

/** Counts changes, alerts by status and inbox items by status. */
export async function storeCounts(db: StoreExecutor): Promise<StoreCounts> {
  const changes = await db
    .selectFrom('presence_changes')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when consumed_at is null then 1 else 0 end)`.as('unconsumed'),
    ])
    .where('from_availability', 'is not', null)
    .executeTakeFirstOrThrow();
  return {
    changes: Number(changes.n),
    unconsumedChanges: Number(changes.unconsumed ?? 0),
    alertsByStatus: await countBy(db, 'alert_outbox'),
    inboxByStatus: await countBy(db, 'notification_inbox'),
  };
}

/**
 * Whether the recorded presence of every person equals the simulator's. A notification whose
 * order is in doubt is confirmed by a read a little later, so a scenario has settled only then.
 */
export async function recordedPresenceMatches(
  db: StoreExecutor,
  sim: RunningSimulator,
  people: readonly SimUser[],
): Promise<boolean> {
  const stored = await getPresenceStates(
    db,
    sim.tenantId,
    people.map((p) => p.id),
  );
  return people.every((person) => {
    const ours = stored.get(person.id.toLowerCase());
    const graph = sim.getPresence(person.id);
    return (
      ours !== undefined &&
      ours.availability.toLowerCase() === graph.availability.toLowerCase() &&
      ours.activity.toLowerCase() === graph.activity.toLowerCase()
    );
  });
}
