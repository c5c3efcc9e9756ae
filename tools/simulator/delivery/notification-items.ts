import type { ChangeNotificationItem } from '../../../src/notifications/receiver/notification-envelope';
import { graphDateTime } from '../graph-date';
import { encryptForCertificate } from '../notification-encryption';
import type { PresenceState } from '../presence/presence-values';
import type { SimSubscription } from '../subscriptions/sim-subscription';

/** The lifecycle events Graph sends. */
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

function envelope(subscription: SimSubscription): ChangeNotificationItem {
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: graphDateTime(subscription.expiresAt),
    tenantId: subscription.tenantId,
    ...(subscription.clientState === undefined ? {} : { clientState: subscription.clientState }),
  };
}

/** A presence as a notification carries it; `sequenceNumber` only when the simulator is told to add it. */
export type NotifiedPresence = PresenceState & { readonly sequenceNumber?: string };

/**
 * A presence change notification for one person, encrypted when the subscription is rich; the
 * encrypted content holds Graph's documented fields, plus `sequenceNumber` when `presence` has one.
 */
export function presenceNotificationItem(
  subscription: SimSubscription,
  userId: string,
  presence: NotifiedPresence,
): ChangeNotificationItem {
  const resourceData = {
    '@odata.id': `users/${userId}/presence`,
    '@odata.type': '#microsoft.graph.presence',
    id: userId,
  };
  const item: ChangeNotificationItem = {
    ...envelope(subscription),
    changeType: 'updated',
    resource: `communications/presences/${userId}`,
    resourceData,
    organizationId: subscription.tenantId,
  };
  if (subscription.includeResourceData && subscription.certificate) {
    const plaintext = Buffer.from(JSON.stringify({ ...resourceData, ...presence }), 'utf8');
    item.encryptedContent = encryptForCertificate(plaintext, subscription.certificate);
  }
  return item;
}

/** A lifecycle notification in Graph's envelope. */
export function lifecycleNotificationItem(
  subscription: SimSubscription,
  event: LifecycleEvent,
): ChangeNotificationItem {
  return { ...envelope(subscription), lifecycleEvent: event };
}
