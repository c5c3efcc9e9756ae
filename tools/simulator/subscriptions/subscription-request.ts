import { invalidRequest as invalid } from '../http/graph-error';
import type { EncryptionCertificate } from '../notification-encryption';
import { readEncryptionCertificate } from './encryption-certificate';
import { parsePresenceResource } from './presence-resource';

/** Graph's maximum lifetime of a presence subscription. */
export const MAX_PRESENCE_LIFETIME_MS = 60 * 60 * 1000;
const MAX_CLIENT_STATE_LENGTH = 255;

/** A validated create request, before the handshake. */
export interface SubscriptionDraft {
  resource: string;
  userIds: string[];
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | undefined;
  clientState: string | undefined;
  expiresAt: number;
  includeResourceData: boolean;
  encryptionCertificate: string | undefined;
  encryptionCertificateId: string | undefined;
  certificate: EncryptionCertificate | undefined;
}

function requiredText(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(`${name} is required.`);
  return value;
}

function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  return value;
}

/** Checks a webhook URL is absolute http(s). */
export function webhookUrl(value: string, name: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    throw invalid(`${name} must be an absolute URL.`);
  }
  throw invalid(`${name} must be an http(s) URL.`);
}

/** Checks an expiration is in the future and at most 60 minutes ahead of `now`. */
export function readExpiration(value: unknown, now: number): number {
  const expiresAt = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(expiresAt))
    throw invalid('expirationDateTime must be an ISO 8601 date-time.');
  if (expiresAt <= now) throw invalid('Subscription expiration must be in the future.');
  if (expiresAt - now > MAX_PRESENCE_LIFETIME_MS) {
    throw invalid('Subscription expiration can only be 60 minutes in the future.');
  }
  return expiresAt;
}

function readChangeType(body: Record<string, unknown>): string {
  const changeType = requiredText(body, 'changeType');
  if (changeType.split(',').some((type) => type.trim() !== 'updated')) {
    throw invalid("Presence subscriptions support only the changeType 'updated'.");
  }
  return changeType;
}

function readEncryption(
  body: Record<string, unknown>,
): Pick<
  SubscriptionDraft,
  'includeResourceData' | 'encryptionCertificate' | 'encryptionCertificateId' | 'certificate'
> {
  const includeResourceData = body.includeResourceData === true;
  if (!includeResourceData) {
    return {
      includeResourceData,
      encryptionCertificate: undefined,
      encryptionCertificateId: undefined,
      certificate: undefined,
    };
  }
  const certificate = readEncryptionCertificate(
    body.encryptionCertificate,
    body.encryptionCertificateId,
  );
  return {
    includeResourceData,
    encryptionCertificate: body.encryptionCertificate as string,
    encryptionCertificateId: certificate.certificateId,
    certificate,
  };
}

/** Validates a `POST /subscriptions` body against Graph's presence rules (400 on any breach). */
export function readSubscriptionDraft(
  body: Record<string, unknown>,
  now: number,
): SubscriptionDraft {
  const changeType = readChangeType(body);
  const notificationUrl = webhookUrl(requiredText(body, 'notificationUrl'), 'notificationUrl');
  const lifecycle = optionalText(body, 'lifecycleNotificationUrl');
  const resource = requiredText(body, 'resource');
  const userIds = parsePresenceResource(resource);
  const expiresAt = readExpiration(body.expirationDateTime, now);
  const clientState = optionalText(body, 'clientState');
  if (clientState !== undefined && clientState.length > MAX_CLIENT_STATE_LENGTH) {
    throw invalid(`clientState must be at most ${MAX_CLIENT_STATE_LENGTH} characters.`);
  }
  return {
    resource,
    userIds,
    changeType,
    notificationUrl,
    lifecycleNotificationUrl:
      lifecycle === undefined ? undefined : webhookUrl(lifecycle, 'lifecycleNotificationUrl'),
    clientState,
    expiresAt,
    ...readEncryption(body),
  };
}
