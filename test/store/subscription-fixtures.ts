import type { StoreExecutor } from '../../src/store/database-schema';
import {
  upsertDesiredCoverage,
  type GraphSubscriptionRecord,
} from '../../src/store/graph-subscriptions';
import { claimDueSubscriptions } from '../../src/store/subscription-queue';

/** The clock every subscription test starts from. */
export const NOW = 1_700_000_000_000;
/** The lease length of subscription claims in tests. */
export const LEASE_MS = 60_000;

/** Creates an owner's row wanting `desiredIds`, due now. */
export async function desire(
  db: StoreExecutor,
  ownerId: string,
  desiredIds: string[],
  now = NOW,
  tenantId = 't1',
): Promise<GraphSubscriptionRecord> {
  const record = await upsertDesiredCoverage(db, { tenantId, ownerId, desiredIds, now });
  if (!record) throw new Error('expected a subscription row');
  return record;
}

/** Claims the due subscriptions for `owner`. */
export function claimAs(
  db: StoreExecutor,
  owner: string,
  now = NOW,
  limit = 10,
): Promise<GraphSubscriptionRecord[]> {
  return claimDueSubscriptions(db, { owner, limit, leaseMs: LEASE_MS, now });
}
