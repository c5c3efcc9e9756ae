import { createHash } from 'node:crypto';
import { AppError } from '../../errors/app-error';

/** One item of a received batch, ready for the inbox: raw JSON plus routing fields. */
export interface EnvelopeItem {
  dedupeKey: string;
  subscriptionId: string | null;
  tenantId: string | null;
  payload: string;
}

/** A parsed POST body: its items and validation tokens, nothing decrypted yet. */
export interface ParsedEnvelope {
  items: EnvelopeItem[];
  validationTokens: string[];
}

const MAX_ITEMS = 1000;

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
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('NOTIFICATION_MALFORMED', 'body is not JSON');
  }
}

function toEnvelopeItem(item: unknown): EnvelopeItem {
  if (!isRecord(item)) throw new AppError('NOTIFICATION_MALFORMED', 'item is not an object');
  const payload = JSON.stringify(item);
  return {
    dedupeKey: createHash('sha256').update(payload).digest('base64url'),
    subscriptionId: stringOrNull(item.subscriptionId),
    tenantId: stringOrNull(item.tenantId) ?? stringOrNull(item.organizationId),
    payload,
  };
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
