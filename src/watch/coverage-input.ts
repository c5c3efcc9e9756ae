import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../store/database-schema';
import { listSubscriptions, type GraphSubscriptionRecord } from '../store/graph-subscriptions';
import { watchedPeopleByWatcher } from '../store/watches';
import type { CoveragePlanInput } from './coverage-plan-types';
import type { KeeperConfig } from './keeper-config';

/** A tenant's planner input as stored now, with the subscription rows it was built from. */
export interface StoredCoverage {
  readonly input: CoveragePlanInput;
  readonly rows: readonly GraphSubscriptionRecord[];
}

/**
 * Reads who watches whom and each owner's subscription row: the previous plan (desired ids) is the
 * current coverage to keep stable, owners whose sign-in failed are unavailable, and `excluded`
 * watched ids (unknown to the directory) are left out.
 */
export async function loadStoredCoverage(
  db: Kysely<DatabaseSchema>,
  config: Pick<KeeperConfig, 'redundancy' | 'maxIdsPerSubscription'>,
  tenantId: string,
  excluded: ReadonlySet<string> = new Set(),
): Promise<StoredCoverage> {
  const [watched, rows] = await Promise.all([
    watchedPeopleByWatcher(db, tenantId),
    listSubscriptions(db, tenantId),
  ]);
  const input: CoveragePlanInput = {
    watchers: new Map(
      [...watched].map(([watcher, targets]) => [
        watcher,
        new Set([...targets].filter((id) => !excluded.has(id.toLowerCase()))),
      ]),
    ),
    current: new Map(rows.map((row) => [row.ownerId, new Set(row.desiredIds)])),
    unavailable: new Set(rows.filter((row) => row.state === 'failed-auth').map((r) => r.ownerId)),
    redundancy: config.redundancy,
    maxIdsPerSubscription: config.maxIdsPerSubscription,
  };
  return { input, rows };
}
