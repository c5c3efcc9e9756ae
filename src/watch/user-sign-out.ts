import { getSubscription } from '../store/graph-subscriptions';
import { normalizeEntraId } from '../store/entra-ids';
import { markOwnerSignedOut } from '../store/signed-out-owners';
import { raiseSigninAlert } from '../store/signin-alerts';
import { loadStoredCoverage } from './coverage-input';
import { planCoverage } from './coverage-planner';
import type { KeeperContext } from './keeper-context';
import { failureCode } from './failure-fields';
import { deleteUnlessGone } from './subscription-upkeep';
import { isAuthFailure } from './token-provider';

/** A user signing out: their delegated token while they still have it. */
export interface SignOutRequest {
  readonly tenantId: string;
  readonly userId: string;
  readonly token: string | undefined;
}

/** What signing out did to the user's subscription and watches. */
export interface SignOutOutcome {
  /** True when the user's Graph subscription is deleted (or they had none). */
  readonly subscriptionDeleted: boolean;
  /** The people the user watches (lower-case ids) that another watcher's sign-in now covers. */
  readonly coveredByOthers: ReadonlySet<string>;
}

/**
 * Stops using a user's sign-in: deletes their Graph subscription with their last token (without
 * one it is deleted when they sign in again), marks them signed out so the planner moves their
 * people to other watchers, and says which of their people stay covered. Call before the token
 * service forgets the token.
 */
export async function releaseUserSignIn(
  ctx: KeeperContext,
  request: SignOutRequest,
): Promise<SignOutOutcome> {
  const owner = { tenantId: request.tenantId, ownerId: normalizeEntraId(request.userId) };
  const row = await getSubscription(ctx.db, owner);
  const subscriptionDeleted = await deleteWithToken(ctx, row?.graphSubscriptionId, request.token);
  const now = ctx.now();
  await markOwnerSignedOut(ctx.db, {
    ...owner,
    now,
    subscriptionDeleted,
    nextActionAt: now + ctx.config.authRecheckMs,
  });
  await raiseSigninAlert(ctx.db, { tenantId: owner.tenantId, userId: owner.ownerId, now });
  ctx.replanRequests.add(owner.tenantId);
  ctx.log.info({ ...owner, subscriptionDeleted }, 'user signed out; their sign-in is not used');
  return { subscriptionDeleted, coveredByOthers: await coveredByOthers(ctx, owner) };
}

async function deleteWithToken(
  ctx: KeeperContext,
  graphId: string | null | undefined,
  token: string | undefined,
): Promise<boolean> {
  if (graphId === null || graphId === undefined || ctx.removed.delete(graphId)) return true;
  if (token === undefined) return false;
  try {
    await deleteUnlessGone(ctx, token, graphId);
    return true;
  } catch (error) {
    ctx.log.warn(
      { code: failureCode(error), authFailure: isAuthFailure(error) },
      'could not delete the subscription of a user signing out; deleting it at their next sign-in',
    );
    return false;
  }
}

async function coveredByOthers(
  ctx: KeeperContext,
  owner: { tenantId: string; ownerId: string },
): Promise<Set<string>> {
  const { input } = await loadStoredCoverage(ctx.db, ctx.config, owner.tenantId);
  const plan = planCoverage(input);
  const watched = input.watchers.get(owner.ownerId) ?? new Set<string>();
  return new Set([...watched].filter((target) => (plan.coverage.get(target) ?? 0) > 0));
}
