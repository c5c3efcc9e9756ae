import { isAppError } from '../errors/app-error';
import type { GraphSubscription, SubscriptionRequest } from '../graph/graph-types';
import {
  getSubscriptionByGraphId,
  type GraphSubscriptionRecord,
} from '../store/graph-subscriptions';
import { generateClientState } from '../store/subscription-secrets';
import { markSubscriptionState, recordSubscriptionCreated } from '../store/subscription-outcomes';
import { notificationUrlOf } from './keeper-config';
import type { KeeperContext } from './keeper-context';
import { leaseOf, scheduleDebouncedRecreate } from './subscription-lease';
import { presenceSubscriptionRequest, renewalDueAt } from './subscription-request';

/**
 * Creates the owner's rich presence subscription for the desired ids (a 409 means a stale one of
 * ours exists: it is found, deleted, and the create is tried once more), records it, and queues a
 * resync of the covered people for the gap before it existed.
 */
export async function createSubscription(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  token: string,
): Promise<void> {
  if (!(await markSubscriptionState(ctx.db, leaseOf(ctx, record), 'creating'))) return;
  const ids = record.desiredIds;
  const clientState = generateClientState();
  const request = presenceSubscriptionRequest(ctx.config, ctx.keyRing, ids, clientState, ctx.now());
  const created = await createResolvingConflict(ctx, record, token, request);
  const expiresAt = created.expirationDateTime.getTime();
  const stored = await recordSubscriptionCreated(ctx.db, ctx.storeKey, {
    ...leaseOf(ctx, record),
    graphSubscriptionId: created.id,
    coveredIds: ids,
    clientState,
    certificateId: request.encryptionCertificateId,
    expiresAt,
    nextActionAt: renewalDueAt(ctx.config, expiresAt),
  });
  if (!stored) {
    ctx.log.warn(
      { tenantId: record.tenantId, ownerId: record.ownerId },
      'lease lost while creating; deleting the new subscription',
    );
    await ctx.graph.deleteSubscription(token, created.id);
    return;
  }
  ctx.log.info(
    { tenantId: record.tenantId, ownerId: record.ownerId, ids: ids.length, expiresAt },
    'subscription created',
  );
  await scheduleDebouncedRecreate(ctx, stored);
  ctx.resyncs.add(record.tenantId, ids, record.ownerId);
}

async function createResolvingConflict(
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
  const stale = await staleSubscriptions(ctx, record, token);
  ctx.log.warn(
    { tenantId: record.tenantId, ownerId: record.ownerId, stale: stale.length },
    'subscription already exists (409); deleting the stale one and creating again',
  );
  for (const subscription of stale) await ctx.graph.deleteSubscription(token, subscription.id);
  return ctx.graph.createSubscription(token, request);
}

/** The owner's presence subscriptions on our notification URL that we do not hold for anyone else. */
async function staleSubscriptions(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  token: string,
): Promise<GraphSubscription[]> {
  const url = notificationUrlOf(ctx.config);
  const stale: GraphSubscription[] = [];
  for (const subscription of await ctx.graph.listSubscriptions(token)) {
    if (subscription.notificationUrl !== url) continue;
    if (!subscription.resource.toLowerCase().includes('communications/presences')) continue;
    const creator = subscription.creatorId?.toLowerCase();
    if (creator !== undefined && creator !== record.ownerId) continue;
    const known = await getSubscriptionByGraphId(ctx.db, subscription.id);
    if (known && known.ownerId !== record.ownerId) continue;
    stale.push(subscription);
  }
  return stale;
}
