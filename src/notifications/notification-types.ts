/** Graph's `encryptedContent` block of a rich change notification. */
export interface EncryptedContent {
  data: string;
  dataSignature: string;
  dataKey: string;
  encryptionCertificateId?: string;
  encryptionCertificateThumbprint?: string;
}

/** One item of a change-notification batch's `value[]`, as Graph sends it (extra fields allowed). */
export interface ChangeNotificationItem {
  subscriptionId: string;
  clientState?: string;
  /** Set by the receiver in place of `clientState`: the secret's SHA-256, base64url. */
  clientStateSha256?: string | null;
  changeType?: string;
  tenantId?: string;
  organizationId?: string;
  resource?: string;
  subscriptionExpirationDateTime?: string;
  lifecycleEvent?: string;
  resourceData?: Record<string, unknown>;
  encryptedContent?: EncryptedContent;
  [extra: string]: unknown;
}

/** A change-notification POST body: the batch and its validation tokens. */
export interface ChangeNotificationBatch {
  value: ChangeNotificationItem[];
  validationTokens?: string[];
}

/** The Microsoft Graph change-tracking application: the publisher of every validation token. */
export const GRAPH_CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
