import { isAppError } from '../errors/app-error';
import type { GraphSubscriptionRecord } from '../store/graph-subscriptions';
import { generateClientState } from '../store/subscription-secrets';
import { markSubscriptionState, recordSubscriptionCreated } from '../store/subscription-outcomes';
import type { KeeperContext } from './keeper-context';
import { createResolvingConflict } from './subscription-conflict';
import { leaseOf, scheduleDebouncedRecreate } from './subscription-lease';
import { presenceSubscriptionRequest, renewalDueAt } from './subscription-request';
import { excludeUnknownPeople } from './unknown-people';

/**
 * Creates the owner's rich presence subscription for the desired ids (a 409 is resolved by
 * replacing the stale one, on whatever URL), records it, and queues a resync of the covered
 * people for the gap before it existed.
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
  const created = await createResolvingConflict(ctx, record, token, request).catch(
    async (error: unknown) => {
      if (isAppError(error, 'GRAPH_BAD_REQUEST') && record.attempts <= 1) {
        await excludeUnknownPeople(ctx, record, token);
      }
      throw error;
    },
  );
  const expiresAt = created.expirationDateTime.getTime();
  const stored = await recordSubscriptionCreated(ctx.db, ctx.storeKey, {
    ...leaseOf(ctx, record),
    graphSubscriptionId: created.id,
    coveredIds: ids,
    clientState,
    certificateId: request.encryptionCertificateId,
    expiresAt,
    nextActionAt: renewalDueAt(ctx.config, expiresAt, ctx.now()),
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
