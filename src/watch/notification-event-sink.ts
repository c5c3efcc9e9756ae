import type { Transaction } from 'kysely';
import type { Logger } from '../logging/logger';
import type { NotificationEventSink } from '../notifications/processing/inbox-worker';
import type { PresenceChangedEvent } from '../notifications/processing/notification-processor';
import type { DatabaseSchema } from '../store/database-schema';
import { getSubscriptionOwnerByGraphId } from '../store/graph-subscriptions';
import { notificationInDoubt, ORDER_DOUBT_WINDOW_MS } from '../store/presence-order';
import { applyUnlessDoubtful } from '../store/presence-state';
import { applyLifecycle } from './lifecycle-event-handler';
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

const UNKNOWN_ACTIVITY = 'PresenceUnknown';

/**
 * Records a presence notification as last-known presence (a real change lands in the outbox once);
 * one whose order against the stored presence is in doubt is confirmed by a batched presence read
 * instead. Events for an unknown or foreign tenant are ignored.
 */
async function applyPresence(
  trx: Transaction<DatabaseSchema>,
  event: PresenceChangedEvent,
  deps: KeeperEventSinkDeps,
  log: Logger,
): Promise<void> {
  const subscription = await getSubscriptionOwnerByGraphId(trx, event.subscriptionId);
  const tenantId = subscription?.tenantId ?? event.tenantId;
  if (tenantId === null || !sameTenant(event.tenantId, tenantId)) {
    log.warn(
      { subscriptionId: event.subscriptionId },
      'presence event for an unknown or foreign tenant ignored',
    );
    return;
  }
  const outcome = await applyUnlessDoubtful(
    trx,
    {
      tenantId,
      userId: event.userId,
      availability: event.availability,
      activity: event.activity ?? UNKNOWN_ACTIVITY,
      observedAt: event.receivedAt,
      sequence: event.sequenceNumber,
      source: 'notification',
    },
    notificationInDoubt(deps.doubtWindowMs ?? ORDER_DOUBT_WINDOW_MS),
  );
  if (outcome === 'doubtful') {
    deps.signals.confirmPresence(tenantId, [event.userId], subscription?.ownerId);
  }
  log.debug(
    {
      subscriptionId: event.subscriptionId,
      changed: outcome !== null && outcome !== 'doubtful',
      doubtful: outcome === 'doubtful',
    },
    'presence notification received',
  );
}

function sameTenant(claimed: string | null, known: string): boolean {
  return claimed === null || claimed.toLowerCase() === known.toLowerCase();
}
