import type { StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/** The tables whose rows are leased by a `lease_owner` until `lease_until`: the work queues and MSAL's cache partitions. */
export const LEASED_TABLES = [
  'notification_inbox',
  'presence_changes',
  'alert_outbox',
  'graph_subscriptions',
  'msal_token_cache',
] as const;

/** One of the leased work queues. */
export type LeasedTable = (typeof LEASED_TABLES)[number];

/** How many leases were released in each table. */
export type ReleasedLeases = Record<LeasedTable, number>;

/** Which lease owners to release: a list of names, or a predicate over every current owner. */
export type LeaseOwnerSelection = readonly string[] | ((owner: string) => boolean);

/** Every distinct lease owner currently named in any leased table, sorted. */
export async function listLeaseOwners(db: StoreExecutor): Promise<string[]> {
  const owners = new Set<string>();
  for (const table of LEASED_TABLES) {
    const rows = await storeOperation('list lease owners', () =>
      db
        .selectFrom(table)
        .select('lease_owner')
        .distinct()
        .where('lease_owner', 'is not', null)
        .execute(),
    );
    for (const row of rows) if (row.lease_owner !== null) owners.add(row.lease_owner);
  }
  return [...owners].sort();
}

/**
 * Clears the leases (`lease_owner` and `lease_until` only, nothing else of the row) held by the
 * selected owners in every leased table, so their work can be claimed at once. Returns how many
 * rows were released per table.
 */
export async function releaseLeases(
  db: StoreExecutor,
  selection: LeaseOwnerSelection,
): Promise<ReleasedLeases> {
  const owners =
    typeof selection === 'function' ? (await listLeaseOwners(db)).filter(selection) : selection;
  const released: ReleasedLeases = {
    notification_inbox: 0,
    presence_changes: 0,
    alert_outbox: 0,
    graph_subscriptions: 0,
    msal_token_cache: 0,
  };
  if (owners.length === 0) return released;
  for (const table of LEASED_TABLES) {
    const result = await storeOperation('release lease owners', () =>
      db
        .updateTable(table)
        .set({ lease_owner: null, lease_until: null })
        .where('lease_owner', 'in', [...owners])
        .executeTakeFirst(),
    );
    released[table] = Number(result.numUpdatedRows);
  }
  return released;
}
