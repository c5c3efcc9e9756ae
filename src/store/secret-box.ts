import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';
import { findStoreKey, type StoreKeyRing } from './store-keys';

const VERSION = 'v2';
const LEGACY_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

/**
 * Seals a secret with AES-256-GCM under the ring's current key as
 * `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url); `context` (e.g. `table:row-id`) and the key id
 * are authenticated, so a sealed value only opens where it was sealed.
 */
export function sealSecret(
  ring: StoreKeyRing,
  plaintext: Buffer | string,
  context: string,
): string {
  try {
    const { id, key } = ring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(VERSION, context, id));
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    return [VERSION, id, ...parts].join('.');
  } catch (error) {
    throw new AppError('SECRET_BOX_FAILED', undefined, { cause: error });
  }
}

/**
 * Opens a value sealed by `sealSecret` (or by the key-id-less `v1` format, trying every key of the
 * ring) in the same context. A value whose key is not in the ring is STORE_KEY_UNAVAILABLE; any
 * other failure is SECRET_BOX_FAILED.
 */
export function openSecret(ring: StoreKeyRing, sealed: string, context: string): Buffer {
  const parts = sealed.split('.');
  if (parts[0] === VERSION && parts.length === 5 && KEY_ID_PATTERN.test(parts[1] ?? '')) {
    const keyId = parts[1] as string;
    const storeKey = findStoreKey(ring, keyId);
    if (!storeKey) throw new AppError('STORE_KEY_UNAVAILABLE', `sealed under key id ${keyId}`);
    return decrypt(storeKey.key, parts.slice(2), additionalData(VERSION, context, keyId));
  }
  if (parts[0] === LEGACY_VERSION && parts.length === 4) {
    for (const { key } of [ring.current, ...ring.previous]) {
      const opened = attempt(() =>
        decrypt(key, parts.slice(1), additionalData(LEGACY_VERSION, context)),
      );
      if (opened) return opened;
    }
  }
  throw new AppError('SECRET_BOX_FAILED');
}

/** True when `sealed` is in the current format under the ring's current key (nothing to re-seal). */
export function isSealedUnderCurrentKey(ring: StoreKeyRing, sealed: string): boolean {
  return sealed.startsWith(currentKeyPrefix(ring));
}

/** The text every value sealed under the ring's current key starts with. */
export function currentKeyPrefix(ring: StoreKeyRing): string {
  return `${VERSION}.${ring.current.id}.`;
}

function decrypt(key: Buffer, [iv, tag, ciphertext]: string[], aad: Buffer): Buffer {
  try {
    if (iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new AppError('SECRET_BOX_FAILED');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, strictBase64Url(iv, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad);
    decipher.setAuthTag(strictBase64Url(tag, TAG_BYTES));
    return Buffer.concat([decipher.update(strictBase64Url(ciphertext)), decipher.final()]);
  } catch {
    throw new AppError('SECRET_BOX_FAILED');
  }
}

function attempt(open: () => Buffer): Buffer | undefined {
  try {
    return open();
  } catch {
    return undefined;
  }
}

function additionalData(version: string, context: string, keyId?: string): Buffer {
  const label = keyId === undefined ? version : `${version}:${keyId}`;
  return Buffer.from(`${label}:${context}`, 'utf8');
}

function strictBase64Url(text: string, expectedBytes?: number): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new AppError('SECRET_BOX_FAILED');
  if (expectedBytes !== undefined && bytes.length !== expectedBytes)
    throw new AppError('SECRET_BOX_FAILED');
  return bytes;
}
