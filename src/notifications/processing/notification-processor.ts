import { AppError, isAppError } from '../../errors/app-error';
import type { ContentDecryptor } from '../crypto/decrypt-pool';
import {
  isRecord,
  type ChangeNotificationItem,
  type EncryptedContent,
} from '../receiver/notification-envelope';
import type { ValidationTokenVerifier } from '../tokens/validation-token-verifier';
import { checkClientState, type SubscriptionSecrets } from '../receiver/subscription-gate';

/** The verdict on one item: verified, rejected for good, or to be retried later. */
export type ItemOutcome =
  | { status: 'verified'; item: VerifiedItem }
  | { status: 'rejected'; error: AppError }
  | { status: 'retry'; error: AppError };

/** A notification item that passed every check, with its resource data decrypted. */
export interface VerifiedItem {
  subscriptionId: string;
  tenantId: string | null;
  changeType: string | null;
  resource: string | null;
  lifecycleEvent: string | null;
  subscriptionExpirationDateTime: string | null;
  resourceData: Record<string, unknown> | null;
}

/** A person's presence changed, as reported by a verified (and decrypted) notification. */
export interface PresenceChangedEvent {
  type: 'presence';
  tenantId: string | null;
  userId: string;
  availability: string;
  activity: string | null;
  /** Graph's lexicographically sortable version of this presence, when the content carried one. */
  sequenceNumber?: string;
  subscriptionId: string;
  receivedAt: number;
}

/** A subscription lifecycle event: reauthorizationRequired, subscriptionRemoved, missed, or a new one. */
export interface LifecycleEvent {
  type: 'lifecycle';
  lifecycleEvent: string;
  tenantId: string | null;
  subscriptionId: string;
  subscriptionExpirationDateTime: string | null;
  receivedAt: number;
}

/** A verified change to a resource other than presence. */
export interface ResourceChangedEvent {
  type: 'resource';
  tenantId: string | null;
  subscriptionId: string;
  changeType: string | null;
  resource: string | null;
  resourceData: Record<string, unknown> | null;
  receivedAt: number;
}

/** Everything the notification worker emits. */
export type NotificationEvent = PresenceChangedEvent | LifecycleEvent | ResourceChangedEvent;

/** What the processor checks items with. `secrets` undefined skips the clientState check (CLI only). */
export interface NotificationProcessorDeps {
  verifier: ValidationTokenVerifier;
  decryptor: ContentDecryptor;
  secrets: SubscriptionSecrets | undefined;
}

/** Validates and decrypts items of one batch; the same code serves the worker and the CLI. */
export interface NotificationProcessor {
  processBatch(
    items: readonly unknown[],
    validationTokens: readonly string[],
  ): Promise<ItemOutcome[]>;
}

/** Builds the processor: batch tokens first, then per item clientState and decryption. */
export function createNotificationProcessor(
  deps: NotificationProcessorDeps,
): NotificationProcessor {
  return {
    async processBatch(items, validationTokens) {
      const tokenFailure = await verifyTokens(deps.verifier, items, validationTokens);
      if (tokenFailure) return items.map(() => tokenFailure);
      return Promise.all(items.map((item) => processItem(deps, item)));
    },
  };
}

async function verifyTokens(
  verifier: ValidationTokenVerifier,
  items: readonly unknown[],
  tokens: readonly string[],
): Promise<ItemOutcome | null> {
  const encrypted = items.filter((item) => isRecord(item) && item.encryptedContent !== undefined);
  const requireTokens = encrypted.length > 0;
  if (!requireTokens && tokens.length === 0) return null;
  if (encrypted.some((item) => tenantOf(item) === null)) {
    return failure(
      new AppError('VALIDATION_TOKEN_TENANT_MISMATCH', 'an encrypted item names no tenant'),
    );
  }
  const tenantIds = [...new Set(items.map(tenantOf).filter((id): id is string => id !== null))];
  try {
    await verifier.verifyBatch(tokens, tenantIds, { requireTokens });
    return null;
  } catch (error) {
    return failure(error);
  }
}

async function processItem(deps: NotificationProcessorDeps, raw: unknown): Promise<ItemOutcome> {
  try {
    const item = shapeOf(raw);
    if (deps.secrets) {
      await checkClientState(deps.secrets, item.subscriptionId, item.clientStateSha256);
    }
    const resourceData = item.encryptedContent
      ? await decryptResource(deps.decryptor, item.encryptedContent)
      : plainResourceData(item);
    return { status: 'verified', item: verifiedItem(item, resourceData) };
  } catch (error) {
    return failure(error);
  }
}

async function decryptResource(
  decryptor: ContentDecryptor,
  content: EncryptedContent,
): Promise<Record<string, unknown>> {
  if (!isRecord(content)) throw new AppError('DECRYPTION_FAILED');
  const plaintext = await decryptor.decrypt(content);
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new AppError('NOTIFICATION_MALFORMED', 'decrypted resource is not JSON');
  }
  if (!isRecord(parsed))
    throw new AppError('NOTIFICATION_MALFORMED', 'decrypted resource is not an object');
  return parsed;
}

/** Unencrypted resource data, without presence values: only encrypted, token-checked content may carry them. */
function plainResourceData(item: ChangeNotificationItem): Record<string, unknown> | null {
  if (!isRecord(item.resourceData)) return null;
  const data = { ...item.resourceData };
  delete data.availability;
  delete data.activity;
  return data;
}

function shapeOf(raw: unknown): ChangeNotificationItem {
  if (!isRecord(raw) || typeof raw.subscriptionId !== 'string' || raw.subscriptionId.length === 0) {
    throw new AppError('NOTIFICATION_MALFORMED', 'item has no subscriptionId');
  }
  return raw as ChangeNotificationItem;
}

function verifiedItem(
  item: ChangeNotificationItem,
  resourceData: Record<string, unknown> | null,
): VerifiedItem {
  return {
    subscriptionId: item.subscriptionId,
    tenantId: tenantOf(item),
    changeType: textOrNull(item.changeType),
    resource: textOrNull(item.resource),
    lifecycleEvent: textOrNull(item.lifecycleEvent),
    subscriptionExpirationDateTime: textOrNull(item.subscriptionExpirationDateTime),
    resourceData,
  };
}

function tenantOf(item: unknown): string | null {
  if (!isRecord(item)) return null;
  return textOrNull(item.tenantId) ?? textOrNull(item.organizationId);
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function failure(error: unknown): ItemOutcome {
  if (isAppError(error, 'JWKS_UNAVAILABLE') || isAppError(error, 'STORE_UNAVAILABLE')) {
    return { status: 'retry', error };
  }
  if (isAppError(error)) return { status: 'rejected', error };
  return {
    status: 'retry',
    error: new AppError('NOTIFICATION_REJECTED', 'unexpected processing failure', { cause: error }),
  };
}

const PRESENCE_RESOURCE = /^\/?communications\/presences\/([^/?]+)/i;

/** Derives the typed event a verified item stands for. */
export function toNotificationEvent(item: VerifiedItem, receivedAt: number): NotificationEvent {
  const base = { tenantId: item.tenantId, subscriptionId: item.subscriptionId, receivedAt };
  if (item.lifecycleEvent) {
    return {
      ...base,
      type: 'lifecycle',
      lifecycleEvent: item.lifecycleEvent,
      subscriptionExpirationDateTime: item.subscriptionExpirationDateTime,
    };
  }
  const presence = presenceOf(item);
  if (presence) return { ...base, type: 'presence', ...presence };
  return {
    ...base,
    type: 'resource',
    changeType: item.changeType,
    resource: item.resource,
    resourceData: item.resourceData,
  };
}

type PresenceFields = Pick<
  PresenceChangedEvent,
  'userId' | 'availability' | 'activity' | 'sequenceNumber'
>;

function presenceOf(item: VerifiedItem): PresenceFields | null {
  const data = item.resourceData;
  if (!isRecord(data) || typeof data.availability !== 'string') return null;
  const odataType =
    typeof data['@odata.type'] === 'string' ? data['@odata.type'].toLowerCase() : '';
  const fromResource = item.resource ? PRESENCE_RESOURCE.exec(item.resource)?.[1] : undefined;
  if (odataType !== '#microsoft.graph.presence' && !fromResource) return null;
  const userId = typeof data.id === 'string' && data.id ? data.id : fromResource;
  if (!userId) return null;
  const fields: PresenceFields = {
    userId,
    availability: data.availability,
    activity: typeof data.activity === 'string' ? data.activity : null,
  };
  if (typeof data.sequenceNumber === 'string' && data.sequenceNumber.length > 0) {
    fields.sequenceNumber = data.sequenceNumber;
  }
  return fields;
}
