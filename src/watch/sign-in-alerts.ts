import { clearSigninAlert, raiseSigninAlert } from '../store/signin-alerts';
import { listWatches } from '../store/watches';
import type { KeeperContext } from './keeper-context';

/**
 * Raises the user's "sign in again" alert and, only when it is newly raised, tells the
 * conversations where they watch someone (once per failure episode, not on every retry), then
 * plans the tenant again: telling them may have removed the watches of a conversation Teams lost.
 */
export async function raiseSignInAlert(
  ctx: KeeperContext,
  tenantId: string,
  userId: string,
  errorCode: string,
): Promise<boolean> {
  const raised = await raiseSigninAlert(ctx.db, { tenantId, userId, now: ctx.now() });
  if (!raised) return false;
  const watches = await listWatches(ctx.db, { tenantId, watcherId: userId });
  const conversationIds = [...new Set(watches.map((watch) => watch.conversationId))].sort();
  ctx.log.warn(
    { tenantId, userId, errorCode, conversations: conversationIds.length },
    'user must sign in again',
  );
  try {
    await ctx.onSignInRequired({ tenantId, userId, conversationIds, errorCode });
  } catch (error) {
    ctx.log.error({ err: error, tenantId, userId }, 'sign-in alert delivery failed');
  }
  ctx.replanRequests.add(tenantId);
  return true;
}

/** Clears the user's alert once their token works again. */
export async function clearSignInAlert(
  ctx: KeeperContext,
  tenantId: string,
  userId: string,
): Promise<void> {
  if (await clearSigninAlert(ctx.db, { tenantId, userId, now: ctx.now() })) {
    ctx.log.info({ tenantId, userId }, 'user signed in again');
  }
}
