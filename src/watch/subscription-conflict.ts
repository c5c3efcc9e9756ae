import { isAppError } from '../errors/app-error';
import type { GraphSubscription, SubscriptionRequest } from '../graph/graph-types';
import {
  getSubscriptionByGraphId,
  type GraphSubscriptionRecord,
} from '../store/graph-subscriptions';
import { notificationUrlOf } from './keeper-config';
import type { KeeperContext } from './keeper-context';

/**
 * Creates the subscription; on 409 (Graph keeps one presence subscription per user per app,
 * whatever its notificationUrl) deletes the owner's conflicting one, wherever it points, and
 * creates again once.
 */
export async function createResolvingConflict(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  token: string,
  request: SubscriptionRequest,
): Promise<GraphSubscription> {
  try {
    return await ctx.graph.createSubscription(token, request);
  } catch (error) {
    if (!isAppError(error, 'GRAPH_CONFLICT')) throw error;
  }
  const stale = await conflictingSubscriptions(ctx, record, token);
  ctx.log.warn(
    { tenantId: record.tenantId, ownerId: record.ownerId, stale: stale.length },
    'subscription already exists (409); deleting the stale one and creating again',
  );
  for (const subscription of stale) {
    reportIfElsewhere(ctx, record, subscription);
    await ctx.graph.deleteSubscription(token, subscription.id);
  }
  return ctx.graph.createSubscription(token, request);
}

/** The owner's presence subscriptions of this app, on any URL, that we do not hold for anyone else. */
async function conflictingSubscriptions(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  token: string,
): Promise<GraphSubscription[]> {
  const stale: GraphSubscription[] = [];
  for (const subscription of await ctx.graph.listSubscriptions(token)) {
    if (!subscription.resource.toLowerCase().includes('communications/presences')) continue;
    const creator = subscription.creatorId?.toLowerCase();
    if (creator !== undefined && creator !== record.ownerId) continue;
    const known = await getSubscriptionByGraphId(ctx.db, subscription.id);
    if (known && known.ownerId !== record.ownerId) continue;
    stale.push(subscription);
  }
  return stale;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unparseable';
  }
}

/**
 * Logs a replaced subscription that pointed at another URL; a second one for the same owner
 * within a subscription lifetime means another deployment is recreating it: APP_REGISTRATION_SHARED.
 */
function reportIfElsewhere(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  subscription: GraphSubscription,
): void {
  if (subscription.notificationUrl === notificationUrlOf(ctx.config)) return;
  const owner = `${record.tenantId}|${record.ownerId}`;
  const previous = ctx.replacedElsewhere.get(owner);
  const now = ctx.now();
  ctx.replacedElsewhere.set(owner, now);
  const fields = {
    tenantId: record.tenantId,
    ownerId: record.ownerId,
    otherOrigin: originOf(subscription.notificationUrl),
  };
  if (previous !== undefined && now - previous < ctx.config.subscriptionLifetimeMs) {
    ctx.log.error(
      { ...fields, code: 'APP_REGISTRATION_SHARED' },
      'another deployment keeps recreating this subscription: two deployments share one app registration',
    );
    return;
  }
  ctx.log.warn(fields, 'replaced a subscription of this app that pointed at another URL');
}
