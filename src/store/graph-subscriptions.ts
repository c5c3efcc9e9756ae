import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  DatabaseSchema,
  EpochMs,
  GraphSubscriptionsTable,
  StoreExecutor,
  SubscriptionState,
} from './database-schema';
import { canonicalIdList, normalizeEntraId } from './entra-ids';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';

/** A user's Graph presence subscription as the keeper sees it (the clientState stays sealed). */
export interface GraphSubscriptionRecord {
  readonly tenantId: string;
  readonly ownerId: string;
  readonly graphSubscriptionId: string | null;
  readonly coveredIds: readonly string[];
  readonly desiredIds: readonly string[];
  readonly hasClientState: boolean;
  readonly certificateId: string | null;
  readonly expiresAt: EpochMs | null;
  readonly state: SubscriptionState;
  readonly lastErrorCode: string | null;
  /** Claims since the last success, the current one included. */
  readonly attempts: number;
  readonly nextActionAt: EpochMs;
  readonly leaseOwner: string | null;
  readonly leaseUntil: EpochMs | null;
  readonly dirtySince: EpochMs | null;
  readonly updatedAt: EpochMs;
}

/** Identifies the subscription of one consenting user. */
export interface SubscriptionOwner {
  readonly tenantId: string;
  readonly ownerId: string;
}

/** The planner's wish for one owner's subscription. */
export interface DesiredCoverage extends SubscriptionOwner {
  readonly desiredIds: Iterable<string>;
  readonly now: EpochMs;
  /** Changes within this window after the first one become one recreate (default 0). */
  readonly debounceMs?: number;
}

/** A `graph_subscriptions` row as read. */
export type GraphSubscriptionRow = Selectable<GraphSubscriptionsTable>;

/** Maps a stored row to the record callers see. */
export function subscriptionRecordOf(row: GraphSubscriptionRow): GraphSubscriptionRecord {
  return {
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    graphSubscriptionId: row.graph_subscription_id,
    coveredIds: JSON.parse(row.covered_ids) as string[],
    desiredIds: JSON.parse(row.desired_ids) as string[],
    hasClientState: row.client_state_sealed !== null,
    certificateId: row.certificate_id,
    expiresAt: row.expires_at,
    state: row.state,
    lastErrorCode: row.last_error_code,
    attempts: row.attempts,
    nextActionAt: row.next_action_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    dirtySince: row.dirty_since,
    updatedAt: row.updated_at,
  };
}

/** Reads one owner's subscription. */
export async function getSubscription(
  db: StoreExecutor,
  owner: SubscriptionOwner,
): Promise<GraphSubscriptionRecord | undefined> {
  const row = await storeOperation('read graph subscription', () =>
    db
      .selectFrom('graph_subscriptions')
      .selectAll()
      .where('tenant_id', '=', owner.tenantId)
      .where('owner_id', '=', normalizeEntraId(owner.ownerId))
      .executeTakeFirst(),
  );
  return row && subscriptionRecordOf(row);
}

/** Reads the subscription Graph knows by this id. */
export async function getSubscriptionByGraphId(
  db: StoreExecutor,
  graphSubscriptionId: string,
): Promise<GraphSubscriptionRecord | undefined> {
  const row = await storeOperation('read graph subscription by id', () =>
    db
      .selectFrom('graph_subscriptions')
      .selectAll()
      .where('graph_subscription_id', '=', graphSubscriptionId)
      .executeTakeFirst(),
  );
  return row && subscriptionRecordOf(row);
}

/** Whose subscription Graph knows by this id, without reading (and parsing) its coverage. */
export async function getSubscriptionOwnerByGraphId(
  db: StoreExecutor,
  graphSubscriptionId: string,
): Promise<SubscriptionOwner | undefined> {
  const row = await storeOperation('read graph subscription owner by id', () =>
    db
      .selectFrom('graph_subscriptions')
      .select(['tenant_id', 'owner_id'])
      .where('graph_subscription_id', '=', graphSubscriptionId)
      .executeTakeFirst(),
  );
  return row && { tenantId: row.tenant_id, ownerId: row.owner_id };
}

/** Lists subscriptions, of one tenant when given, by tenant and owner. */
export async function listSubscriptions(
  db: StoreExecutor,
  tenantId?: string,
): Promise<GraphSubscriptionRecord[]> {
  const rows = await storeOperation('list graph subscriptions', () => {
    const query = db
      .selectFrom('graph_subscriptions')
      .selectAll()
      .orderBy('tenant_id')
      .orderBy('owner_id');
    return (tenantId === undefined ? query : query.where('tenant_id', '=', tenantId)).execute();
  });
  return rows.map(subscriptionRecordOf);
}

/**
 * Records the ids the planner wants an owner's subscription to cover. When they differ from the
 * covered ids the row becomes dirty (from its first difference on) and is due at most `debounceMs`
 * after that; a new owner gets a row in `creating`. Empty wishes for an unknown owner store nothing.
 */
export async function upsertDesiredCoverage(
  db: StoreExecutor,
  coverage: DesiredCoverage,
): Promise<GraphSubscriptionRecord | undefined> {
  const tenantId = coverage.tenantId;
  const ownerId = normalizeEntraId(coverage.ownerId);
  const desired = JSON.stringify(canonicalIdList(coverage.desiredIds));
  const debounceMs = coverage.debounceMs ?? 0;
  return storeOperation('upsert desired coverage', () =>
    inTransaction(db, async (executor) => {
      let existing = await lockedRow(executor, tenantId, ownerId);
      if (!existing) {
        if (desired === '[]') return undefined;
        const inserted = await executor
          .insertInto('graph_subscriptions')
          .values({
            tenant_id: tenantId,
            owner_id: ownerId,
            desired_ids: desired,
            state: 'creating',
            next_action_at: coverage.now + debounceMs,
            dirty_since: coverage.now,
            updated_at: coverage.now,
          })
          .onConflict((conflict) => conflict.columns(['tenant_id', 'owner_id']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) return subscriptionRecordOf(inserted);
        existing = await lockedRow(executor, tenantId, ownerId);
        if (!existing) return undefined;
      }
      if (existing.desired_ids === desired) return subscriptionRecordOf(existing);
      const dirtySince =
        desired === existing.covered_ids ? null : (existing.dirty_since ?? coverage.now);
      const nextActionAt =
        dirtySince === null
          ? existing.next_action_at
          : Math.min(existing.next_action_at, dirtySince + debounceMs);
      const updated = await executor
        .updateTable('graph_subscriptions')
        .set({
          desired_ids: desired,
          dirty_since: dirtySince,
          next_action_at: nextActionAt,
          updated_at: coverage.now,
        })
        .where('tenant_id', '=', tenantId)
        .where('owner_id', '=', ownerId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return subscriptionRecordOf(updated);
    }),
  );
}

/** Makes an owner's subscription due no later than `at` (a lifecycle event, a new sign-in); false when unknown. */
export async function scheduleSubscriptionAction(
  db: StoreExecutor,
  owner: SubscriptionOwner,
  at: EpochMs,
): Promise<boolean> {
  const result = await storeOperation('schedule graph subscription action', () =>
    db
      .updateTable('graph_subscriptions')
      .set({
        next_action_at: sql<number>`case when next_action_at > ${at} then ${at} else next_action_at end`,
      })
      .where('tenant_id', '=', owner.tenantId)
      .where('owner_id', '=', normalizeEntraId(owner.ownerId))
      .executeTakeFirst(),
  );
  return Number(result.numUpdatedRows) > 0;
}

function lockedRow(executor: Kysely<DatabaseSchema>, tenantId: string, ownerId: string) {
  const query = executor
    .selectFrom('graph_subscriptions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('owner_id', '=', ownerId);
  return query.forUpdate().executeTakeFirst();
}
