/** What the keeper asks Graph to create: a rich presence subscription. */
export interface SubscriptionRequest {
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  expirationDateTime: Date;
  clientState: string;
  includeResourceData: boolean;
  /** Base64 DER of the public certificate. */
  encryptionCertificate: string;
  encryptionCertificateId: string;
  latestSupportedTlsVersion?: string;
}

/** A Graph subscription as we keep it (clientState and the certificate are left out on purpose). */
export interface GraphSubscription {
  id: string;
  resource: string;
  changeType: string;
  expirationDateTime: Date;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  includeResourceData: boolean;
  encryptionCertificateId: string | null;
  applicationId: string | null;
  creatorId: string | null;
}

/** One person's presence; availability and activity are kept exactly as Graph sent them. */
export interface GraphPresence {
  id: string;
  availability: string;
  activity: string;
  /** Graph's version stamp of this presence (lexicographically sortable), when it sent one. */
  sequenceNumber?: string;
}

/** The directory fields the bot needs about a person. */
export interface GraphUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
}
