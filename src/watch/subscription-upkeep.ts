import { isAppError } from '../errors/app-error';
import type { GraphSubscriptionRecord } from '../store/graph-subscriptions';
import {
  markSubscriptionState,
  recordSubscriptionDeleted,
  recordSubscriptionFailed,
  recordSubscriptionRenewed,
} from '../store/subscription-outcomes';
import { listWatches } from '../store/watches';
import type { KeeperContext } from './keeper-context';
import { clearSignInAlert } from './sign-in-alerts';
import { leaseOf, scheduleDebouncedRecreate } from './subscription-lease';
import { renewalDueAt } from './subscription-request';
import { isAuthFailure } from './token-provider';

/** PATCHes a new expiry; a subscription Graph no longer has (404, or removed) is forgotten for a create. */
export async function renewSubscription(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  graphId: string,
  token: string,
): Promise<void> {
  if (ctx.removed.delete(graphId)) return forgetForCreate(ctx, record, 'removed by Graph');
  if (!(await markSubscriptionState(ctx.db, leaseOf(ctx, record), 'renewing'))) return;
  let expiresAt: number;
  try {
    const expiry = new Date(ctx.now() + ctx.config.subscriptionLifetimeMs);
    expiresAt = (
      await ctx.graph.renewSubscription(token, graphId, expiry)
    ).expirationDateTime.getTime();
  } catch (error) {
    if (!isAppError(error, 'GRAPH_NOT_FOUND')) throw error;
    return forgetForCreate(ctx, record, 'gone on renew (404)');
  }
  const stored = await recordSubscriptionRenewed(ctx.db, {
    ...leaseOf(ctx, record),
    expiresAt,
    nextActionAt: renewalDueAt(ctx.config, expiresAt, ctx.now()),
  });
  if (stored) await scheduleDebouncedRecreate(ctx, stored);
}

/** Deletes the subscription so it can be created again with the desired ids (the create is a new claim). */
export async function deleteForRecreate(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  graphId: string,
  token: string,
): Promise<void> {
  if (!(await markSubscriptionState(ctx.db, leaseOf(ctx, record), 'deleting'))) return;
  if (!ctx.removed.delete(graphId)) await ctx.graph.deleteSubscription(token, graphId);
  await recordSubscriptionDeleted(ctx.db, { ...leaseOf(ctx, record), nextActionAt: ctx.now() });
  ctx.log.info(
    { tenantId: record.tenantId, ownerId: record.ownerId, ids: record.desiredIds.length },
    'subscription deleted for a recreate',
  );
}

/**
 * Nothing is desired any more: deletes the subscription and the row. Without a working token the
 * row stays (as a failed sign-in holding the Graph id), so the subscription is deleted once a
 * token is back.
 */
export async function retireSubscription(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
): Promise<void> {
  const graphId = record.graphSubscriptionId;
  if (graphId !== null && !ctx.removed.delete(graphId)) {
    try {
      const token = await ctx.tokens.getToken(record.tenantId, record.ownerId);
      await deleteUnlessGone(ctx, token, graphId);
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      return stillSignedOut(ctx, record, isAppError(error) ? error.code : 'TOKEN_UNAVAILABLE');
    }
  }
  await recordSubscriptionDeleted(ctx.db, { ...leaseOf(ctx, record), nextActionAt: ctx.now() });
}

/** Deletes a Graph subscription; one Graph no longer has (404, expired) counts as deleted. */
export async function deleteUnlessGone(
  ctx: KeeperContext,
  token: string,
  graphId: string,
): Promise<void> {
  try {
    await ctx.graph.deleteSubscription(token, graphId);
  } catch (error) {
    if (!isAppError(error, 'GRAPH_NOT_FOUND')) throw error;
  }
}

/**
 * A user whose sign-in failed: while their token still fails, checks again later (forgetting a
 * subscription nobody needs from them); once it works, clears the alert and makes them available.
 */
export async function checkSignIn(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
): Promise<void> {
  let token: string;
  try {
    token = await ctx.tokens.getToken(record.tenantId, record.ownerId);
  } catch (error) {
    if (!isAuthFailure(error)) throw error;
    return stillSignedOut(ctx, record, isAppError(error) ? error.code : 'TOKEN_UNAVAILABLE');
  }
  if (record.graphSubscriptionId !== null && !ctx.removed.delete(record.graphSubscriptionId)) {
    await deleteUnlessGone(ctx, token, record.graphSubscriptionId);
  }
  await clearSignInAlert(ctx, record.tenantId, record.ownerId);
  await recordSubscriptionDeleted(ctx.db, { ...leaseOf(ctx, record), nextActionAt: ctx.now() });
  ctx.replanRequests.add(record.tenantId);
}

async function stillSignedOut(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  errorCode: string,
): Promise<void> {
  const watches = await listWatches(ctx.db, {
    tenantId: record.tenantId,
    watcherId: record.ownerId,
  });
  const holdsLive = holdsLiveSubscription(ctx, record);
  if (watches.length === 0 && record.desiredIds.length === 0 && !holdsLive) {
    await recordSubscriptionDeleted(ctx.db, { ...leaseOf(ctx, record), nextActionAt: ctx.now() });
    return;
  }
  await recordSubscriptionFailed(ctx.db, {
    ...leaseOf(ctx, record),
    errorCode,
    state: 'failed-auth',
    subscriptionGone: !holdsLive,
    nextActionAt: ctx.now() + ctx.config.authRecheckMs,
  });
}

/** True while the row names a Graph subscription that has not expired: it must be deleted with a token. */
function holdsLiveSubscription(ctx: KeeperContext, record: GraphSubscriptionRecord): boolean {
  if (record.graphSubscriptionId === null) return false;
  return record.expiresAt === null || record.expiresAt > ctx.now();
}

async function forgetForCreate(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  reason: string,
): Promise<void> {
  ctx.log.info({ tenantId: record.tenantId, ownerId: record.ownerId, reason }, 'subscription gone');
  await recordSubscriptionDeleted(ctx.db, { ...leaseOf(ctx, record), nextActionAt: ctx.now() });
}
