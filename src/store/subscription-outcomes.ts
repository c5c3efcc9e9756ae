import { sql, type UpdateObject } from 'kysely';
import type { DatabaseSchema, EpochMs, StoreExecutor, SubscriptionState } from './database-schema';
import { canonicalIdList, normalizeEntraId } from './entra-ids';
import {
  subscriptionRecordOf,
  type GraphSubscriptionRecord,
  type SubscriptionOwner,
} from './graph-subscriptions';
import { storeOperation } from './store-failure';
import type { StoreKeyRing } from './store-keys';
import { inTransaction } from './store-transaction';
import { sealClientState } from './subscription-secrets';
import { RELEASED } from './work-queue';

/** Who reports an outcome: the claimed subscription and the lease owner that claimed it. */
export interface LeasedSubscription extends SubscriptionOwner {
  readonly leaseOwner: string;
  readonly now: EpochMs;
}

/** A leased outcome that also says when the subscription is due next. */
export interface LeasedOutcome extends LeasedSubscription {
  readonly nextActionAt: EpochMs;
}

/** A subscription Graph has just created. */
export interface CreatedSubscription extends LeasedOutcome {
  readonly graphSubscriptionId: string;
  readonly coveredIds: Iterable<string>;
  readonly clientState: string;
  readonly certificateId: string;
  readonly expiresAt: EpochMs;
}

/** A subscription Graph has just renewed. */
export interface RenewedSubscription extends LeasedOutcome {
  readonly expiresAt: EpochMs;
}

/** A failed Graph call on a subscription. */
export interface FailedSubscription extends LeasedOutcome {
  readonly errorCode: string;
  /** The new state; omitted for transient failures, which keep the state. */
  readonly state?: 'failed' | 'failed-auth';
  /** Graph no longer has the subscription (404): forget its id, coverage and clientState. */
  readonly subscriptionGone?: boolean;
}

/** What recording a deletion did: dropped the row (nothing desired), kept it for a recreate, or found the lease lost. */
export type DeletionOutcome = 'removed' | 'cleared' | 'lease-lost';

type SubscriptionUpdate = UpdateObject<DatabaseSchema, 'graph_subscriptions'>;

/** Marks what the lease holder is about to do (`creating`, `renewing`, `deleting`); false when the lease was lost. */
export async function markSubscriptionState(
  db: StoreExecutor,
  lease: LeasedSubscription,
  state: SubscriptionState,
): Promise<boolean> {
  return (await updateLeased(db, lease, { state, updated_at: lease.now })) !== undefined;
}

/** Records a created subscription: seals its clientState, sets coverage, releases the lease. */
export async function recordSubscriptionCreated(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
  created: CreatedSubscription,
): Promise<GraphSubscriptionRecord | undefined> {
  const covered = JSON.stringify(canonicalIdList(created.coveredIds));
  return updateLeased(db, created, {
    ...RELEASED,
    graph_subscription_id: created.graphSubscriptionId,
    covered_ids: covered,
    client_state_sealed: sealClientState(
      storeKey,
      created.clientState,
      created.tenantId,
      created.ownerId,
    ),
    certificate_id: created.certificateId,
    expires_at: created.expiresAt,
    state: 'active',
    last_error_code: null,
    attempts: 0,
    next_action_at: created.nextActionAt,
    dirty_since: sql<
      number | null
    >`case when desired_ids = ${covered} then null else coalesce(dirty_since, ${created.now}) end`,
    updated_at: created.now,
  });
}

/** Records a renewal: new expiry, state active, failures forgotten, lease released. */
export async function recordSubscriptionRenewed(
  db: StoreExecutor,
  renewed: RenewedSubscription,
): Promise<GraphSubscriptionRecord | undefined> {
  return updateLeased(db, renewed, {
    ...RELEASED,
    expires_at: renewed.expiresAt,
    state: 'active',
    last_error_code: null,
    attempts: 0,
    next_action_at: renewed.nextActionAt,
    updated_at: renewed.now,
  });
}

/** Records a failure with its error code and the retry time; the attempt count is kept. */
export async function recordSubscriptionFailed(
  db: StoreExecutor,
  failed: FailedSubscription,
): Promise<GraphSubscriptionRecord | undefined> {
  const gone: SubscriptionUpdate = failed.subscriptionGone
    ? forgottenGraphSubscription(failed.now)
    : {};
  return updateLeased(db, failed, {
    ...RELEASED,
    ...gone,
    ...(failed.state ? { state: failed.state } : {}),
    last_error_code: failed.errorCode,
    next_action_at: failed.nextActionAt,
    updated_at: failed.now,
  });
}

/**
 * Records that Graph deleted the subscription: the row goes when nothing is desired any more,
 * else it is kept in `creating`, due at `nextActionAt`, for the recreate.
 */
export async function recordSubscriptionDeleted(
  db: StoreExecutor,
  deleted: LeasedOutcome,
): Promise<DeletionOutcome> {
  return storeOperation('record graph subscription deleted', () =>
    inTransaction(db, async (trx) => {
      const removed = await trx
        .deleteFrom('graph_subscriptions')
        .where('tenant_id', '=', deleted.tenantId)
        .where('owner_id', '=', normalizeEntraId(deleted.ownerId))
        .where('lease_owner', '=', deleted.leaseOwner)
        .where('desired_ids', '=', '[]')
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) > 0) return 'removed';
      const kept = await updateLeased(trx, deleted, {
        ...RELEASED,
        ...forgottenGraphSubscription(deleted.now),
        state: 'creating',
        last_error_code: null,
        attempts: 0,
        next_action_at: deleted.nextActionAt,
        updated_at: deleted.now,
      });
      return kept ? 'cleared' : 'lease-lost';
    }),
  );
}

function forgottenGraphSubscription(now: EpochMs): SubscriptionUpdate {
  return {
    graph_subscription_id: null,
    covered_ids: '[]',
    client_state_sealed: null,
    certificate_id: null,
    expires_at: null,
    dirty_since: sql<
      number | null
    >`case when desired_ids = '[]' then null else coalesce(dirty_since, ${now}) end`,
  };
}

async function updateLeased(
  db: StoreExecutor,
  lease: LeasedSubscription,
  update: SubscriptionUpdate,
): Promise<GraphSubscriptionRecord | undefined> {
  const row = await storeOperation('record graph subscription outcome', () =>
    db
      .updateTable('graph_subscriptions')
      .set(update)
      .where('tenant_id', '=', lease.tenantId)
      .where('owner_id', '=', normalizeEntraId(lease.ownerId))
      .where('lease_owner', '=', lease.leaseOwner)
      .returningAll()
      .executeTakeFirst(),
  );
  return row && subscriptionRecordOf(row);
}
