import { createBackgroundLoop, NOTHING_DUE } from '../background/background-loop';
import { listSubscriptions } from '../store/graph-subscriptions';
import { claimDueSubscriptions } from '../store/subscription-queue';
import { knownTenants, planTenant } from './coverage-sync';
import { createKeeperContext, type KeeperContext, type KeeperDeps } from './keeper-context';
import { runDueResyncs, type ResyncOutcome } from './presence-resync';
import { actOnSubscription, type SubscriptionAction } from './subscription-actions';
import { applySignIns, noteSignIn } from './user-sign-ins';
import { releaseUserSignIn, type SignOutOutcome, type SignOutRequest } from './user-sign-out';

/** What the notification sink tells the keeper: lifecycle work to do soon. */
export interface KeeperSignals {
  /** Runs a pass now (or right after the current one). */
  wake(): void;
  /** Graph removed this subscription: recreate it without trying to renew it. */
  subscriptionRemoved(graphSubscriptionId: string): void;
  /** Notifications may have been missed for these people: read their presence again. */
  requestResync(tenantId: string, ids: Iterable<string>, ownerId?: string): void;
  /**
   * Notifications for these people arrived in an order that cannot be trusted: read their presence
   * after a short delay, in one batched read with every other doubt of the tenant meanwhile.
   */
  confirmPresence(tenantId: string, ids: Iterable<string>, ownerId?: string): void;
}

/** What one keeper pass did. */
export interface KeeperPass {
  readonly tenantsPlanned: number;
  readonly actions: Readonly<Record<SubscriptionAction, number>>;
  readonly resync: ResyncOutcome;
}

/** Keeps every watcher's Graph presence subscription matching the plan, renewed and resynced. */
export interface SubscriptionKeeper extends KeeperSignals {
  /**
   * Starts the loop: passes until `stop()`, and a start-up resync of everything covered once
   * `resyncAfter` settles (at once without it), so notifications queued before a restart are
   * recorded in order before the resync jumps to the present.
   */
  start(options?: { resyncAfter?: Promise<unknown> }): void;
  /** Stops after the action in progress; claimed work not started stays leased until its lease ends. */
  stop(): Promise<void>;
  /** Plans the tenant (every tenant when omitted) again in the next pass. */
  requestReplan(tenantId?: string): void;
  /** The user signed in again (code, SSO, consent): their coverage resumes in the next pass, run now. */
  userSignedIn(tenantId: string, userId: string): void;
  /** The user signs out: their subscription is deleted and their people move to other watchers. */
  userSignedOut(request: SignOutRequest): Promise<SignOutOutcome>;
  /** Queues a resync of every person covered by a live subscription (start-up, after downtime). */
  queueFullResync(): Promise<void>;
  /** One pass: plan, claim and act on due subscriptions until none is due, then resync. */
  runOnce(): Promise<KeeperPass>;
}

/** Builds the keeper; nothing runs until `start()` (tests may drive `runOnce()`). */
export function createSubscriptionKeeper(deps: KeeperDeps): SubscriptionKeeper {
  const ctx = createKeeperContext(deps);
  const state = { running: false, stopping: false, lastFullPlan: -Infinity };
  const runOnce = async (): Promise<KeeperPass> => {
    await applySignIns(ctx);
    const tenantsPlanned = await planDueTenants(ctx, state);
    const actions = await actOnDueSubscriptions(ctx, () => state.stopping);
    const resync = state.stopping
      ? { people: 0, changes: 0, deferred: 0, doubtful: 0 }
      : await runDueResyncs(ctx);
    if (resync.doubtful > 0) wakeForConfirm();
    if (ctx.replanRequests.size > 0) loop.wake();
    return { tenantsPlanned, actions, resync };
  };
  const loop = createBackgroundLoop({
    pass: async () => {
      await runOnce();
      return NOTHING_DUE;
    },
    pollIntervalMs: ctx.config.pollIntervalMs,
    timers: ctx.timers,
    logger: ctx.log,
    failureMessage: 'keeper pass failed; trying again on the next pass',
    ...(deps.onPass ? { onPass: deps.onPass } : {}),
  });
  const confirmTimer = { handle: undefined as unknown };
  function wakeForConfirm(): void {
    if (confirmTimer.handle !== undefined || state.stopping) return;
    confirmTimer.handle = ctx.timers.setTimeout(() => {
      confirmTimer.handle = undefined;
      loop.wake();
    }, ctx.config.presenceConfirmDelayMs);
  }
  const resyncAtStartUp = (after: Promise<unknown>): void => {
    void after
      .catch(() => undefined)
      .then(() =>
        state.stopping ? undefined : guarded(ctx, 'start-up resync', () => queueFullResync(ctx)),
      )
      .then(() => loop.wake());
  };

  return {
    start(options = {}) {
      if (state.running) return;
      state.running = true;
      state.stopping = false;
      resyncAtStartUp(options.resyncAfter ?? Promise.resolve());
      loop.start();
    },
    async stop() {
      state.stopping = true;
      if (confirmTimer.handle !== undefined) ctx.timers.clearTimeout(confirmTimer.handle);
      confirmTimer.handle = undefined;
      await loop.stop();
      state.running = false;
    },
    wake: () => loop.wake(),
    subscriptionRemoved(graphSubscriptionId) {
      ctx.removed.add(graphSubscriptionId);
    },
    requestResync(tenantId, ids, ownerId) {
      ctx.resyncs.add(tenantId, ids, ownerId);
    },
    confirmPresence(tenantId, ids, ownerId) {
      ctx.resyncs.add(tenantId, ids, ownerId, ctx.now() + ctx.config.presenceConfirmDelayMs);
      wakeForConfirm();
    },
    requestReplan(tenantId) {
      if (tenantId === undefined) state.lastFullPlan = -Infinity;
      else ctx.replanRequests.add(tenantId);
    },
    userSignedIn(tenantId, userId) {
      noteSignIn(ctx, tenantId, userId);
      loop.wake();
    },
    async userSignedOut(request) {
      const outcome = await releaseUserSignIn(ctx, request);
      loop.wake();
      return outcome;
    },
    queueFullResync: () => queueFullResync(ctx),
    runOnce,
  };
}

async function planDueTenants(
  ctx: KeeperContext,
  state: { lastFullPlan: number },
): Promise<number> {
  const now = ctx.now();
  const full = now - state.lastFullPlan >= ctx.config.replanIntervalMs;
  const tenants = full ? await knownTenants(ctx) : [...ctx.replanRequests];
  if (full) state.lastFullPlan = now;
  ctx.replanRequests.clear();
  for (const tenantId of tenants) await planTenant(ctx, tenantId);
  return tenants.length;
}

async function actOnDueSubscriptions(
  ctx: KeeperContext,
  stopping: () => boolean,
): Promise<Record<SubscriptionAction, number>> {
  const actions = { 'check-sign-in': 0, retire: 0, create: 0, recreate: 0, renew: 0 };
  while (!stopping()) {
    const claimed = await claimDueSubscriptions(ctx.db, {
      owner: ctx.leaseOwner,
      limit: ctx.config.claimLimit,
      leaseMs: ctx.config.leaseMs,
      now: ctx.now(),
    });
    if (claimed.length === 0) break;
    for (let start = 0; start < claimed.length && !stopping(); start += ctx.config.concurrency) {
      const group = claimed.slice(start, start + ctx.config.concurrency);
      for (const action of await Promise.all(group.map((r) => actOnSubscription(ctx, r)))) {
        actions[action] += 1;
      }
    }
    const replans = [...ctx.replanRequests];
    ctx.replanRequests.clear();
    for (const tenantId of replans) await planTenant(ctx, tenantId);
  }
  return actions;
}

async function queueFullResync(ctx: KeeperContext): Promise<void> {
  for (const row of await listSubscriptions(ctx.db)) {
    if (row.graphSubscriptionId !== null && row.state !== 'failed-auth') {
      ctx.resyncs.add(row.tenantId, row.coveredIds, row.ownerId);
    }
  }
}

async function guarded(
  ctx: KeeperContext,
  what: string,
  run: () => Promise<unknown>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    ctx.log.error({ err: error }, `${what} failed; trying again on the next pass`);
  }
}
