import type { Logger } from '../logging/logger';
import type { NotificationEventSink } from '../notifications/processing/inbox-worker';
import { applyLifecycle } from './lifecycle-event-handler';
import { applyPresence } from './presence-event-handler';
import type { KeeperSignals } from './subscription-keeper';

/** What the keeper's notification sink needs. */
export interface KeeperEventSinkDeps {
  readonly signals: KeeperSignals;
  readonly logger: Logger;
  readonly now: () => number;
  /** See `notificationInDoubt` (default ORDER_DOUBT_WINDOW_MS). */
  readonly doubtWindowMs?: number;
}

/**
 * The receiver's sink: inside the worker's transaction, presence events update last-known
 * presence (a real change lands in the outbox once; one whose order is in doubt is confirmed by a
 * batched presence read instead) and lifecycle events become keeper work: reauthorizationRequired
 * renews now, subscriptionRemoved recreates then resyncs, missed resyncs.
 */
export function createKeeperEventSink(deps: KeeperEventSinkDeps): NotificationEventSink {
  const log = deps.logger.child({ module: 'keeper-event-sink' });
  return {
    async handle(events, trx) {
      let wake = false;
      for (const event of events) {
        if (event.type === 'presence') await applyPresence(trx, event, deps, log);
        else if (event.type === 'lifecycle')
          wake = (await applyLifecycle(trx, event, deps, log)) || wake;
        else log.debug({ subscriptionId: event.subscriptionId }, 'non-presence change ignored');
      }
      if (wake) deps.signals.wake();
    },
  };
}
