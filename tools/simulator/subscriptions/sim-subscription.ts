import type { EncryptionCertificate } from '../notification-encryption';

/** A live subscription as the simulator keeps it (times are simulated epoch ms). */
export interface SimSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | undefined;
  clientState: string | undefined;
  expiresAt: number;
  includeResourceData: boolean;
  encryptionCertificate: string | undefined;
  encryptionCertificateId: string | undefined;
  certificate: EncryptionCertificate | undefined;
  applicationId: string;
  creatorId: string;
  tenantId: string;
  /** Lower-cased ids of the people the resource covers. */
  userIds: ReadonlySet<string>;
  /** When the subscribing user's access token lapses. */
  tokenExpiresAt: number;
  /** The token expiry a reauthorizationRequired event was already sent for. */
  reauthorizationSentFor: number | undefined;
}
