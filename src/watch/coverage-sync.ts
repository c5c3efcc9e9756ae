import {
  listSubscriptions,
  upsertDesiredCoverage,
  type GraphSubscriptionRecord,
} from '../store/graph-subscriptions';
import { listWatches } from '../store/watches';
import { loadStoredCoverage } from './coverage-input';
import type { CoveragePlan } from './coverage-plan-types';
import { planCoverage } from './coverage-planner';
import type { KeeperContext } from './keeper-context';
import { excludedPeople } from './unknown-people';

/** What planning one tenant changed. */
export interface TenantPlanOutcome {
  readonly tenantId: string;
  /** Owners whose desired coverage changed. */
  readonly changedOwners: number;
  readonly uncovered: number;
}

/** Every tenant with a watch or a subscription row. */
export async function knownTenants(ctx: KeeperContext): Promise<string[]> {
  const [watches, rows] = await Promise.all([listWatches(ctx.db), listSubscriptions(ctx.db)]);
  return [...new Set([...watches, ...rows].map((item) => item.tenantId))].sort();
}

/**
 * Plans the tenant's coverage again (watchers whose sign-in failed are unavailable; the previous
 * plan is kept where still valid) and stores each owner's desired ids. A first subscription is
 * due at once; a live one whose ids changed is recreated after the debounce window.
 */
export async function planTenant(ctx: KeeperContext, tenantId: string): Promise<TenantPlanOutcome> {
  const excluded = excludedPeople(ctx, tenantId);
  const { input, rows } = await loadStoredCoverage(ctx.db, ctx.config, tenantId, excluded);
  const plan = planCoverage(input);
  const changedOwners = await storeDesired(ctx, tenantId, plan, rows);
  if (plan.uncovered.size > 0) {
    ctx.log.warn({ tenantId, uncovered: plan.uncovered.size }, 'watched people without coverage');
  }
  return { tenantId, changedOwners, uncovered: plan.uncovered.size };
}

async function storeDesired(
  ctx: KeeperContext,
  tenantId: string,
  plan: CoveragePlan,
  rows: readonly GraphSubscriptionRecord[],
): Promise<number> {
  const byOwner = new Map(rows.map((row) => [row.ownerId, row]));
  const wishes = new Map<string, string[]>();
  for (const [owner, ids] of plan.assignments) wishes.set(owner, [...ids].sort());
  for (const row of rows) if (!wishes.has(row.ownerId)) wishes.set(row.ownerId, []);
  let changed = 0;
  for (const [ownerId, desiredIds] of wishes) {
    const row = byOwner.get(ownerId);
    if (row ? sameIds(row.desiredIds, desiredIds) : desiredIds.length === 0) continue;
    await upsertDesiredCoverage(ctx.db, {
      tenantId,
      ownerId,
      desiredIds,
      now: ctx.now(),
      debounceMs: row?.graphSubscriptionId ? ctx.config.debounceMs : 0,
    });
    changed += 1;
  }
  return changed;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
