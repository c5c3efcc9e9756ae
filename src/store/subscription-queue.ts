import type { StoreExecutor } from './database-schema';
import { subscriptionRecordOf, type GraphSubscriptionRecord } from './graph-subscriptions';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { leaseFor, leaseIsFree, type ClaimOptions } from './work-queue';

/**
 * Leases up to `limit` subscriptions that are due and not leased (or whose lease expired), most
 * overdue first, counting an attempt. On PostgreSQL locked rows are skipped and on SQLite the write
 * lock is taken up front, so concurrent keepers never get the same subscription.
 */
export async function claimDueSubscriptions(
  db: StoreExecutor,
  options: ClaimOptions,
): Promise<GraphSubscriptionRecord[]> {
  if (options.limit <= 0) return [];
  return storeOperation('claim due graph subscriptions', () =>
    inTransaction(db, async (executor) => {
      const candidates = executor
        .selectFrom('graph_subscriptions')
        .select(['tenant_id', 'owner_id'])
        .where('next_action_at', '<=', options.now)
        .where(leaseIsFree(options.now))
        .orderBy('next_action_at')
        .orderBy('tenant_id')
        .orderBy('owner_id')
        .limit(options.limit);
      const locked = candidates.forUpdate().skipLocked();
      const rows = await executor
        .updateTable('graph_subscriptions')
        .set((eb) => ({ ...leaseFor(options), attempts: eb('attempts', '+', 1) }))
        .where((eb) =>
          eb(eb.refTuple('tenant_id', 'owner_id'), 'in', locked.$asTuple('tenant_id', 'owner_id')),
        )
        .returningAll()
        .execute();
      return rows
        .map(subscriptionRecordOf)
        .sort(
          (a, b) =>
            a.nextActionAt - b.nextActionAt ||
            a.tenantId.localeCompare(b.tenantId) ||
            a.ownerId.localeCompare(b.ownerId),
        );
    }),
  );
}
