import type { DeliveryQueue } from '../delivery/delivery-queue';
import { lifecycleNotificationItem, type LifecycleEvent } from '../delivery/notification-items';
import type { SimClock } from '../sim-clock';
import type { SimCounters } from '../sim-counters';
import type { SimSubscription } from '../subscriptions/sim-subscription';
import type { SubscriptionService } from '../subscriptions/subscription-service';
import type { SubscriptionStore } from '../subscriptions/subscription-store';

/** Collaborators and settings of lifecycle notifications. */
export interface LifecycleNotifierDeps {
  store: SubscriptionStore;
  service: SubscriptionService;
  queue: DeliveryQueue;
  clock: SimClock;
  counters: SimCounters;
  /** How long before the subscribing user's token lapses `reauthorizationRequired` is sent. */
  reauthorizationLeadMs: number;
}

/** Sends Graph's lifecycle events: on demand, before tokens lapse, and on consent revocation. */
export interface LifecycleNotifier {
  /** Sends `event` for the subscription; false when it has no lifecycleNotificationUrl. */
  send(subscription: SimSubscription, event: LifecycleEvent): boolean;
  /** Sends `reauthorizationRequired` where the subscribing user's token is about to lapse. */
  sendDueReauthorizations(): void;
  /** The user's tokens are dead: ask for reauthorization of each of their subscriptions now. */
  consentRevoked(userId: string): void;
}

/** Builds the lifecycle notifier. */
export function createLifecycleNotifier(deps: LifecycleNotifierDeps): LifecycleNotifier {
  const send = (subscription: SimSubscription, event: LifecycleEvent): boolean => {
    const url = subscription.lifecycleNotificationUrl;
    if (!url) return false;
    deps.queue.enqueue({
      url,
      appId: subscription.applicationId,
      tenantId: subscription.tenantId,
      item: lifecycleNotificationItem(subscription, event),
    });
    deps.counters.increment(`lifecycle.${event}`);
    if (event === 'subscriptionRemoved') deps.service.drop(subscription.id);
    return true;
  };

  const requestReauthorization = (subscription: SimSubscription): void => {
    subscription.reauthorizationSentFor = subscription.tokenExpiresAt;
    send(subscription, 'reauthorizationRequired');
  };

  return {
    send,
    sendDueReauthorizations() {
      const now = deps.clock.now();
      for (const subscription of deps.store.all()) {
        const due = now >= subscription.tokenExpiresAt - deps.reauthorizationLeadMs;
        if (due && subscription.reauthorizationSentFor !== subscription.tokenExpiresAt) {
          requestReauthorization(subscription);
        }
      }
    },
    consentRevoked(userId) {
      const now = deps.clock.now();
      for (const subscription of deps.store.all().filter((s) => s.creatorId === userId)) {
        subscription.tokenExpiresAt = Math.min(subscription.tokenExpiresAt, now);
        requestReauthorization(subscription);
      }
    },
  };
}
