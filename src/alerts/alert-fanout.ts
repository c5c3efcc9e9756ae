import {
  createBackgroundLoop,
  NOTHING_DUE,
  type BackgroundLoop,
} from '../background/background-loop';
import type { Timers } from '../background/timers';
import type { Logger } from '../logging/logger';
import type { EpochMs, Store, StoreExecutor } from '../store/database-schema';
import { enqueueAlert, pendingDueAfter } from '../store/alert-queue';
import type { AlertPayload } from '../store/conversation-alerts';
import {
  claimPresenceChanges,
  markPresenceChangesConsumed,
  type PresenceChange,
} from '../store/presence-change-queue';
import { inTransaction } from '../store/store-transaction';
import type { LeaseHolder } from '../store/work-queue';
import { listWatches, removeWatch, type Watch } from '../store/watches';
import { alertKindFor } from './alert-rules';
import { UNNAMED_PERSON } from './presence-words';

/** Looks up display names of people; a missing name falls back to the one stored with the watch. */
export type DisplayNameLookup = (
  tenantId: string,
  userIds: readonly string[],
) => Promise<ReadonlyMap<string, string>>;

/** How the fan-out claims changes and queues alerts. */
export interface AlertFanoutOptions {
  readonly owner: string;
  readonly batchSize: number;
  readonly leaseMs: number;
  /** Alerts for one conversation queued within this window go out together (default 2 s). */
  readonly coalesceWindowMs: number;
  readonly now: () => EpochMs;
  readonly displayNames?: DisplayNameLookup;
  readonly logger: Logger;
}

/** What one fan-out pass did. */
export interface FanoutResult {
  /** Changes fanned out (claimed changes re-claimed meanwhile by another instance are left to it). */
  readonly changes: number;
  readonly alerts: number;
  /** When the earliest of the queued alerts is due (undefined when none was queued). */
  readonly firstDueAt?: EpochMs;
  /** Watches removed because they were `once` and have now fired (the keeper may shrink). */
  readonly removedWatches: Watch[];
}

/** The fan-out loop's settings: batch, lease, coalescing window, and the poll when nobody wakes it. */
export interface FanOutSettings {
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly coalesceWindowMs: number;
  readonly pollMs: number;
}

/** What the fan-out loop runs with and whom it tells. */
export interface FanOutLoopDeps extends Pick<AlertFanoutOptions, 'owner' | 'now' | 'displayNames'> {
  readonly store: Store;
  readonly settings: FanOutSettings;
  readonly timers: Timers;
  readonly logger: Logger;
  /** Alerts were queued, the first of them due at `dueAt` (wakes the sender). */
  readonly onAlertsQueued: (dueAt: number) => void;
  /** Fired `once` watches were removed (the keeper may shrink). */
  readonly onWatchesRemoved: (removed: readonly Watch[]) => void;
  /** Called after every pass (a health heartbeat). */
  readonly onPass?: () => void;
}

/**
 * The loop that turns stored presence changes into queued alerts, batch after batch while full
 * batches come back; wake it when a change is stored, it polls as a fallback.
 */
export function createFanOutLoop(deps: FanOutLoopDeps): BackgroundLoop {
  const { settings } = deps;
  return createBackgroundLoop({
    pass: async () => {
      const result = await fanOutPresenceChanges(deps.store, {
        owner: deps.owner,
        batchSize: settings.batchSize,
        leaseMs: settings.leaseMs,
        coalesceWindowMs: settings.coalesceWindowMs,
        now: deps.now,
        ...(deps.displayNames ? { displayNames: deps.displayNames } : {}),
        logger: deps.logger,
      });
      if (result.firstDueAt !== undefined) deps.onAlertsQueued(result.firstDueAt);
      if (result.removedWatches.length > 0) deps.onWatchesRemoved(result.removedWatches);
      return result.changes >= settings.batchSize ? 0 : NOTHING_DUE;
    },
    pollIntervalMs: settings.pollMs,
    timers: deps.timers,
    logger: deps.logger.child({ module: 'alert-fanout' }),
    failureMessage: 'presence fan-out failed; the changes stay queued',
    ...(deps.onPass ? { onPass: deps.onPass } : {}),
  });
}

/**
 * Claims a batch of presence changes and, in one transaction, queues one alert per watching
 * conversation (honouring each watch's options; a change observed no later than the watch's
 * baseline was shown there already), removes fired `once` watches and marks the changes consumed.
 * A crash anywhere re-runs the batch without duplicates.
 */
export async function fanOutPresenceChanges(
  store: Store,
  options: AlertFanoutOptions,
): Promise<FanoutResult> {
  const changes = await claimPresenceChanges(store, {
    owner: options.owner,
    limit: options.batchSize,
    leaseMs: options.leaseMs,
    now: options.now(),
  });
  if (changes.length === 0) return { changes: 0, alerts: 0, removedWatches: [] };
  const names = await lookUpNames(changes, options);
  const holder: LeaseHolder = { owner: options.owner, now: options.now() };
  const result = await inTransaction(store.db, async (executor) => {
    const consumed = await markPresenceChangesConsumed(
      executor,
      holder,
      changes.map((change) => change.id),
    );
    const held = changes.filter((change) => consumed.held.includes(change.id));
    const queued = await queueAlerts(executor, held, names, holder.now, options.coalesceWindowMs);
    return { changes: held.length, lost: consumed.lost.length, ...queued };
  });
  const { lost, ...fanout } = result;
  if (lost > 0) {
    options.logger.warn(
      { changes: lost },
      'presence changes were re-claimed by another instance after our lease expired; left to it',
    );
  }
  options.logger.debug(
    { changes: fanout.changes, alerts: fanout.alerts },
    'presence changes fanned out',
  );
  return fanout;
}

async function queueAlerts(
  executor: StoreExecutor,
  changes: readonly PresenceChange[],
  names: ReadonlyMap<string, string>,
  now: EpochMs,
  windowMs: number,
): Promise<Omit<FanoutResult, 'changes'>> {
  const fired = new Set<number>();
  const removedWatches: Watch[] = [];
  let alerts = 0;
  let firstDueAt: EpochMs | undefined;
  for (const change of changes) {
    const watches = await listWatches(executor, {
      tenantId: change.tenantId,
      targetId: change.userId,
    });
    for (const watch of watches) {
      if (fired.has(watch.id) || change.observedAt <= watch.baselineAt) continue;
      const kind = alertKindFor(watch, change);
      if (kind === null || change.from === null) continue;
      const payload: AlertPayload = {
        changeId: change.id,
        targetId: watch.targetId,
        targetName:
          names.get(nameKey(change.tenantId, change.userId)) ?? watch.targetName ?? UNNAMED_PERSON,
        kind,
        from: change.from,
        to: change.to,
        observedAt: change.observedAt,
      };
      const nextAttemptAt =
        (await pendingDueAfter(executor, watch.conversationId, now)) ?? now + windowMs;
      if (
        await enqueueAlert(
          executor,
          {
            conversationId: watch.conversationId,
            tenantId: change.tenantId,
            payload,
            nextAttemptAt,
          },
          now,
        )
      ) {
        alerts += 1;
        firstDueAt = Math.min(firstDueAt ?? nextAttemptAt, nextAttemptAt);
      }
      if (watch.once) {
        fired.add(watch.id);
        await removeWatch(executor, watch.conversationId, watch.targetId);
        removedWatches.push(watch);
      }
    }
  }
  return { alerts, removedWatches, ...(firstDueAt === undefined ? {} : { firstDueAt }) };
}

function nameKey(tenantId: string, userId: string): string {
  return `${tenantId}\n${userId.toLowerCase()}`;
}

async function lookUpNames(
  changes: readonly PresenceChange[],
  options: AlertFanoutOptions,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!options.displayNames) return names;
  const byTenant = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.from === null) continue;
    const ids = byTenant.get(change.tenantId) ?? new Set<string>();
    ids.add(change.userId);
    byTenant.set(change.tenantId, ids);
  }
  for (const [tenantId, ids] of byTenant) {
    try {
      const found = await options.displayNames(tenantId, [...ids]);
      for (const [id, name] of found) names.set(nameKey(tenantId, id), name);
    } catch (error) {
      options.logger.warn(
        { tenantId, error: (error as Error).message },
        'display names unavailable; using the names stored with the watches',
      );
    }
  }
  return names;
}
