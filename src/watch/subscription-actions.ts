import type { GraphSubscriptionRecord } from '../store/graph-subscriptions';
import { recordSubscriptionFailed } from '../store/subscription-outcomes';
import { backoffDelayMs, GRAPH_RETRY } from '../backoff/backoff';
import {
  failureCode,
  failureLogFields,
  failureRetryAfterMs,
  isTransientFailure,
} from './failure-fields';
import type { KeeperConfig } from './keeper-config';
import type { KeeperContext } from './keeper-context';
import { raiseSignInAlert } from './sign-in-alerts';
import { createSubscription } from './subscription-creation';
import { isDirty, leaseOf } from './subscription-lease';
import {
  checkSignIn,
  deleteForRecreate,
  renewSubscription,
  retireSubscription,
} from './subscription-upkeep';
import { isAuthFailure } from './token-provider';

/** What the keeper does with a claimed subscription. */
export type SubscriptionAction = 'check-sign-in' | 'retire' | 'create' | 'recreate' | 'renew';

/**
 * Chooses the action for a due subscription: a failed sign-in is checked; no desired ids retires
 * it; no Graph subscription creates one; a dirty one past its debounce window is recreated;
 * anything else due (renewal time, a lifecycle event, a retry) is renewed.
 */
export function chooseAction(
  record: GraphSubscriptionRecord,
  config: Pick<KeeperConfig, 'debounceMs'>,
  now: number,
): SubscriptionAction {
  if (record.state === 'failed-auth') return 'check-sign-in';
  if (record.desiredIds.length === 0) return 'retire';
  if (record.graphSubscriptionId === null) return 'create';
  const debounced = (record.dirtySince ?? now) + config.debounceMs <= now;
  if (isDirty(record) && debounced) return 'recreate';
  return 'renew';
}

/** Performs the chosen action; failures are recorded with backoff or as a failed sign-in. */
export async function actOnSubscription(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
): Promise<SubscriptionAction> {
  const action = chooseAction(record, ctx.config, ctx.now());
  try {
    await perform(ctx, record, action);
  } catch (error) {
    await recordActionFailure(ctx, record, action, error);
  }
  return action;
}

async function perform(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  action: SubscriptionAction,
): Promise<void> {
  if (action === 'check-sign-in') return checkSignIn(ctx, record);
  if (action === 'retire') return retireSubscription(ctx, record);
  const token = await ctx.tokens.getToken(record.tenantId, record.ownerId);
  const graphId = record.graphSubscriptionId;
  if (action === 'create' || graphId === null) return createSubscription(ctx, record, token);
  if (action === 'recreate') return deleteForRecreate(ctx, record, graphId, token);
  return renewSubscription(ctx, record, graphId, token);
}

async function recordActionFailure(
  ctx: KeeperContext,
  record: GraphSubscriptionRecord,
  action: SubscriptionAction,
  error: unknown,
): Promise<void> {
  const { tenantId, ownerId } = record;
  const errorCode = failureCode(error);
  ctx.log.warn(
    { tenantId, ownerId, action, attempts: record.attempts, ...failureLogFields(error) },
    'subscription action failed',
  );
  if (isAuthFailure(error)) {
    await recordSubscriptionFailed(ctx.db, {
      ...leaseOf(ctx, record),
      errorCode,
      state: 'failed-auth',
      nextActionAt: ctx.now() + ctx.config.authRecheckMs,
    });
    await raiseSignInAlert(ctx, tenantId, ownerId, errorCode);
    ctx.replanRequests.add(tenantId);
    return;
  }
  const delay = backoffDelayMs(
    { ...GRAPH_RETRY, baseMs: ctx.config.backoffBaseMs, maxMs: ctx.config.backoffMaxMs },
    record.attempts,
    failureRetryAfterMs(error),
    ctx.random,
  );
  await recordSubscriptionFailed(ctx.db, {
    ...leaseOf(ctx, record),
    errorCode,
    ...(isTransientFailure(error) ? {} : { state: 'failed' as const }),
    nextActionAt: ctx.now() + delay,
  });
}
