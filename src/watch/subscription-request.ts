import { presenceResource } from '../graph/presence-resource';
import type { SubscriptionRequest } from '../graph/graph-types';
import type { KeyRing } from '../notifications/keys/key-ring';
import { lifecycleUrlOf, notificationUrlOf, type KeeperConfig } from './keeper-config';

/** The rich presence subscription for `ids`: encrypted resource data, lifecycle URL, fresh clientState. */
export function presenceSubscriptionRequest(
  config: KeeperConfig,
  keyRing: KeyRing,
  ids: readonly string[],
  clientState: string,
  now: number,
): SubscriptionRequest {
  const certificate = keyRing.current();
  return {
    resource: presenceResource(ids),
    changeType: 'updated',
    notificationUrl: notificationUrlOf(config),
    lifecycleNotificationUrl: lifecycleUrlOf(config),
    expirationDateTime: new Date(now + config.subscriptionLifetimeMs),
    clientState,
    includeResourceData: true,
    encryptionCertificate: certificate.certificateBase64,
    encryptionCertificateId: certificate.certificateId,
  };
}

/**
 * When a subscription expiring at `expiresAt`, created or renewed at `now`, is next renewed: the
 * renewal lead before expiry, or sooner by the liveness interval. The renewal doubles as the
 * liveness check: a subscription Graph lost without a lifecycle event answers 404 and is created
 * again, and the gap resynced.
 */
export function renewalDueAt(config: KeeperConfig, expiresAt: number, now: number): number {
  const renewal = expiresAt - config.renewLeadMs;
  if (config.livenessCheckMs <= 0) return renewal;
  return Math.min(renewal, now + config.livenessCheckMs);
}
