import type { PresenceStore } from '../presence/presence-store';
import type { SimClock } from '../sim-clock';
import type { SubscriptionStore } from '../subscriptions/subscription-store';
import type { DeliveryQueue } from './delivery-queue';
import { presenceNotificationItem } from './notification-items';

/** Collaborators that turn presence changes into deliveries. */
export interface PresenceNotifierDeps {
  presence: PresenceStore;
  subscriptions: SubscriptionStore;
  queue: DeliveryQueue;
  clock: SimClock;
  /** Whether notifications carry the presence's `sequenceNumber` (Graph's documented payload has none). */
  sequenceNumbers: boolean;
}

/** Queues a notification per live subscription covering each changed person; returns the unhook. */
export function connectPresenceNotifications(deps: PresenceNotifierDeps): () => void {
  return deps.presence.onChange((change) => {
    const now = deps.clock.now();
    const { sequenceNumber, ...state } = change.current;
    const presence = deps.sequenceNumbers ? { ...state, sequenceNumber } : state;
    for (const subscription of deps.subscriptions.covering(change.userId)) {
      if (subscription.expiresAt <= now) continue;
      deps.queue.enqueue({
        url: subscription.notificationUrl,
        appId: subscription.applicationId,
        tenantId: subscription.tenantId,
        item: presenceNotificationItem(subscription, change.userId, presence),
      });
    }
  });
}
