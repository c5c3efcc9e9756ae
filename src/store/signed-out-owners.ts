import type { EpochMs, StoreExecutor } from './database-schema';
import { normalizeEntraId } from './entra-ids';
import type { SubscriptionOwner } from './graph-subscriptions';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';

/** A user who signed out, and whether their Graph subscription is already deleted. */
export interface SignedOutOwner extends SubscriptionOwner {
  readonly now: EpochMs;
  /** Graph no longer has the subscription: forget its id, coverage and clientState. */
  readonly subscriptionDeleted: boolean;
  /** When to check again for a token (the auth recheck). */
  readonly nextActionAt: EpochMs;
}

/**
 * Marks a user's subscription as a failed sign-in (`SIGNED_OUT`), so the planner stops using them
 * and the keeper never uses their token until they sign in again; takes over any lease in flight
 * (its outcome is then discarded). A user without a row gets one, so nobody plans with them.
 */
export async function markOwnerSignedOut(db: StoreExecutor, owner: SignedOutOwner): Promise<void> {
  const ownerId = normalizeEntraId(owner.ownerId);
  const forgotten = owner.subscriptionDeleted
    ? {
        graph_subscription_id: null,
        covered_ids: '[]',
        client_state_sealed: null,
        certificate_id: null,
        expires_at: null,
      }
    : {};
  await storeOperation('mark subscription owner signed out', () =>
    inTransaction(db, async (executor) => {
      await executor
        .insertInto('graph_subscriptions')
        .values({
          tenant_id: owner.tenantId,
          owner_id: ownerId,
          desired_ids: '[]',
          state: 'failed-auth',
          next_action_at: owner.nextActionAt,
          updated_at: owner.now,
        })
        .onConflict((conflict) => conflict.columns(['tenant_id', 'owner_id']).doNothing())
        .execute();
      await executor
        .updateTable('graph_subscriptions')
        .set({
          ...forgotten,
          state: 'failed-auth',
          last_error_code: 'SIGNED_OUT',
          next_action_at: owner.nextActionAt,
          lease_owner: null,
          lease_until: null,
          updated_at: owner.now,
        })
        .where('tenant_id', '=', owner.tenantId)
        .where('owner_id', '=', ownerId)
        .execute();
    }),
  );
}
