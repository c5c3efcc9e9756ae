import { createHash } from 'node:crypto';
import { AppError } from '../../errors/app-error';
import { exceedsJsonDepth } from '../../server/json-depth';

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

/** One item of a received batch, ready for the inbox: raw JSON plus routing fields. */
export interface EnvelopeItem {
  dedupeKey: string;
  subscriptionId: string | null;
  tenantId: string | null;
  /** The base64url SHA-256 of the item's clientState; null when it has none or not a string. */
  clientStateSha256: string | null;
  payload: string;
}

/** A parsed POST body: its items and validation tokens, nothing decrypted yet. */
export interface ParsedEnvelope {
  items: EnvelopeItem[];
  validationTokens: string[];
}

const MAX_ITEMS = 1000;
const MAX_NESTING_DEPTH = 64;

/** Parses a change-notification body; throws NOTIFICATION_MALFORMED when it is not one. */
export function parseEnvelope(body: Buffer): ParsedEnvelope {
  const document = parseJson(body);
  if (!isRecord(document) || !Array.isArray(document.value)) {
    throw new AppError('NOTIFICATION_MALFORMED', 'body has no value array');
  }
  if (document.value.length === 0 || document.value.length > MAX_ITEMS) {
    throw new AppError('NOTIFICATION_MALFORMED', 'value array size out of range');
  }
  return {
    items: document.value.map(toEnvelopeItem),
    validationTokens: validationTokensOf(document.validationTokens),
  };
}

function parseJson(body: Buffer): unknown {
  if (exceedsJsonDepth(body, MAX_NESTING_DEPTH)) {
    throw new AppError('NOTIFICATION_MALFORMED', 'body nests too deeply');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('NOTIFICATION_MALFORMED', 'body is not JSON');
  }
}

function toEnvelopeItem(item: unknown): EnvelopeItem {
  if (!isRecord(item)) throw new AppError('NOTIFICATION_MALFORMED', 'item is not an object');
  const stored = withClientStateDigest(item);
  return {
    dedupeKey: createHash('sha256').update(JSON.stringify(item)).digest('base64url'),
    subscriptionId: stringOrNull(item.subscriptionId),
    tenantId: stringOrNull(item.tenantId) ?? stringOrNull(item.organizationId),
    clientStateSha256: stringOrNull(stored.clientStateSha256),
    payload: JSON.stringify(stored),
  };
}

/**
 * The item with its `clientState` secret replaced by `clientStateSha256` (base64url SHA-256), so the
 * secret is never written to the inbox; the worker compares digests.
 */
export function withClientStateDigest(item: Record<string, unknown>): Record<string, unknown> {
  const { clientState, ...rest } = item;
  if (clientState === undefined) return item;
  if (typeof clientState !== 'string') return { ...rest, clientStateSha256: null };
  return { ...rest, clientStateSha256: clientStateDigest(clientState) };
}

/** The SHA-256 of a clientState, base64url: what the inbox keeps instead of the secret. */
export function clientStateDigest(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('base64url');
}

function validationTokensOf(tokens: unknown): string[] {
  if (tokens === undefined || tokens === null) return [];
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) {
    throw new AppError('NOTIFICATION_MALFORMED', 'validationTokens is not a string array');
  }
  return tokens;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
