import { AppError, isAppError } from '../../errors/app-error';
import type { ContentDecryptor } from '../crypto/decrypt-pool';
import {
  type ChangeNotificationItem,
  type EncryptedContent,
  isRecord,
} from '../receiver/notification-envelope';
import type { ValidationTokenVerifier } from '../tokens/validation-token-verifier';
import { checkClientState, type SubscriptionSecrets } from './client-state-check';
import type { VerifiedItem } from './verified-item';

/** The verdict on one item: verified, rejected for good, or to be retried later. */
export type ItemOutcome =
  | { status: 'verified'; item: VerifiedItem }
  | { status: 'rejected'; error: AppError }
  | { status: 'retry'; error: AppError };

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
