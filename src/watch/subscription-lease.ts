import {
  scheduleSubscriptionAction,
  type GraphSubscriptionRecord,
} from '../store/graph-subscriptions';
import type { LeasedSubscription } from '../store/subscription-outcomes';
import type { KeeperContext } from './keeper-context';

/** The claimed subscription as the lease holder reports on it, at the keeper's current time. */
export function leaseOf(ctx: KeeperContext, record: GraphSubscriptionRecord): LeasedSubscription {
  return {
    tenantId: record.tenantId,
    ownerId: record.ownerId,
    leaseOwner: ctx.leaseOwner,
    now: ctx.now(),
  };
}

/** True when the subscription's desired ids differ from what it covers. */
export function isDirty(record: GraphSubscriptionRecord): boolean {
  const { coveredIds, desiredIds } = record;
  return (
    coveredIds.length !== desiredIds.length || coveredIds.some((id, i) => id !== desiredIds[i])
  );
}

/** After an outcome was recorded: a row that became dirty meanwhile is due when its debounce ends. */
export async function scheduleDebouncedRecreate(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
): Promise<void> {
  if (!isDirty(record)) return;
  const at = (record.dirtySince ?? ctx.now()) + ctx.config.debounceMs;
  await scheduleSubscriptionAction(ctx.db, record, at);
}
