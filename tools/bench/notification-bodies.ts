import type { KeyObject } from 'node:crypto';
import { COMMON_PRESENCES } from '../simulator/presence/presence-values';
import { presenceNotificationItem } from '../simulator/delivery/notification-items';
import type { SimSubscription } from '../simulator/subscriptions/sim-subscription';

/** Who the bench notifications are from and for. */
export interface BenchSubscription {
  id: string;
  tenantId: string;
  clientState: string;
  certificate: { publicKey: KeyObject; certificateId: string; thumbprint: string };
}

const PRESENCES = Object.values(COMMON_PRESENCES);

/** Builds `batches` rich presence notification bodies of `batchSize` items, each with a fresh key. */
export function buildNotificationBodies(
  subscription: BenchSubscription,
  validationToken: string,
  batches: number,
  batchSize: number,
): Buffer[] {
  const sim = simSubscriptionOf(subscription);
  const bodies: Buffer[] = [];
  for (let b = 0; b < batches; b += 1) {
    const value = Array.from({ length: batchSize }, (_, i) => {
      const sequence = b * batchSize + i;
      const presence = PRESENCES[sequence % PRESENCES.length] ?? COMMON_PRESENCES.available;
      return presenceNotificationItem(sim, `bench-user-${sequence}`, presence);
    });
    bodies.push(Buffer.from(JSON.stringify({ value, validationTokens: [validationToken] })));
  }
  return bodies;
}

function simSubscriptionOf(subscription: BenchSubscription): SimSubscription {
  return {
    id: subscription.id,
    resource: '/communications/presences',
    changeType: 'updated',
    notificationUrl: 'http://127.0.0.1/api/notifications',
    lifecycleNotificationUrl: undefined,
    clientState: subscription.clientState,
    expiresAt: Date.now() + 3_600_000,
    includeResourceData: true,
    encryptionCertificate: undefined,
    encryptionCertificateId: subscription.certificate.certificateId,
    certificate: subscription.certificate,
    applicationId: 'bench',
    creatorId: 'bench',
    tenantId: subscription.tenantId,
    userIds: new Set(),
    tokenExpiresAt: Date.now() + 3_600_000,
    reauthorizationSentFor: undefined,
  };
}
