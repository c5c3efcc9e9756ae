import {
  createBackgroundLoop,
  NOTHING_DUE,
  type BackgroundLoop,
} from '../background/background-loop';
import type { Timers } from '../background/timers';
import type { Logger } from '../logging/logger';
import type { Store } from '../store/database-schema';
import type { Watch } from '../store/watches';
import { fanOutPresenceChanges, type AlertFanoutOptions } from './alert-fanout';

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
