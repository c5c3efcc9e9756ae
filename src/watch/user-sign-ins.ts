import { normalizeEntraId } from '../store/entra-ids';
import { scheduleSubscriptionAction } from '../store/graph-subscriptions';
import type { KeeperContext } from './keeper-context';

/** Remembers that a user signed in again; the next pass acts on it (call `wake` too). */
export function noteSignIn(ctx: KeeperContext, tenantId: string, userId: string): void {
  const ownerId = normalizeEntraId(userId);
  ctx.signedIn.set(`${tenantId}|${ownerId}`, { tenantId, ownerId });
}

/**
 * Makes the subscription of every user who signed in again since the last pass due now (a failed
 * sign-in is checked at once instead of at the next auth recheck), plans their tenants again, and
 * runs a resync that waits after a failure (a token that was gone) in this pass.
 */
export async function applySignIns(ctx: KeeperContext): Promise<number> {
  const owners = [...ctx.signedIn.entries()];
  ctx.signedIn.clear();
  for (const [key, owner] of owners) {
    try {
      await scheduleSubscriptionAction(ctx.db, owner, ctx.now());
    } catch (error) {
      ctx.signedIn.set(key, owner);
      throw error;
    }
    ctx.replanRequests.add(owner.tenantId);
    ctx.resyncs.dueBy(owner.tenantId, ctx.now());
    ctx.log.info(owner, 'user signed in again; checking their subscription now');
  }
  return owners.length;
}
