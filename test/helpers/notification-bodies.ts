import type { KeyObject } from 'node:crypto';
import { encryptForCertificate } from '../../tools/simulator/notification-encryption';
import type { ChangeNotificationItem } from '../../src/notifications/receiver/notification-envelope';

/** The certificate a test subscription's notifications are encrypted for. */
export interface TestCertificate {
  publicKey: KeyObject;
  certificateId: string;
  thumbprint: string;
}

/** A rich presence notification item, encrypted the way Graph does it. */
export function richPresenceItem(options: {
  subscriptionId: string;
  clientState: string;
  tenantId: string;
  userId: string;
  availability: string;
  activity: string;
  certificate: TestCertificate;
  /** Graph's presence version stamp, put in the encrypted content when given. */
  sequenceNumber?: string;
}): ChangeNotificationItem {
  const resourceData = {
    '@odata.id': `users/${options.userId}/presence`,
    '@odata.type': '#microsoft.graph.presence',
    id: options.userId,
  };
  const plaintext = {
    ...resourceData,
    availability: options.availability,
    activity: options.activity,
    ...(options.sequenceNumber === undefined ? {} : { sequenceNumber: options.sequenceNumber }),
  };
  return {
    subscriptionId: options.subscriptionId,
    clientState: options.clientState,
    changeType: 'updated',
    tenantId: options.tenantId,
    resource: `communications/presences/${options.userId}`,
    subscriptionExpirationDateTime: '2026-11-24T12:00:00.0000000Z',
    resourceData,
    encryptedContent: encryptForCertificate(
      Buffer.from(JSON.stringify(plaintext)),
      options.certificate,
    ),
  };
}

/** A lifecycle notification item in Graph's envelope. */
export function lifecycleItem(
  subscriptionId: string,
  clientState: string,
  tenantId: string,
  event: string,
): ChangeNotificationItem {
  return {
    subscriptionId,
    clientState,
    tenantId,
    lifecycleEvent: event,
    subscriptionExpirationDateTime: '2026-11-24T12:00:00.0000000Z',
  };
}
