import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Seals a secret with AES-256-GCM as `v1.<iv>.<tag>.<ciphertext>` (base64url); `context` (e.g.
 * `table:row-id`) is authenticated, so a sealed value only opens where it was sealed.
 */
export function sealSecret(key: Buffer, plaintext: Buffer | string, context: string): string {
  try {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', checkedKey(key), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(context));
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  } catch (error) {
    throw new AppError('SECRET_BOX_FAILED', undefined, { cause: error });
  }
}

/** Opens a value sealed by `sealSecret` with the same key and context; any failure is SECRET_BOX_FAILED. */
export function openSecret(key: Buffer, sealed: string, context: string): Buffer {
  try {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length > 0 || iv === undefined || tag === undefined) {
      throw new Error('unknown format');
    }
    if (ciphertext === undefined) throw new Error('unknown format');
    const ivBytes = strictBase64Url(iv, IV_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', checkedKey(key), ivBytes, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(strictBase64Url(tag, TAG_BYTES));
    return Buffer.concat([decipher.update(strictBase64Url(ciphertext)), decipher.final()]);
  } catch {
    throw new AppError('SECRET_BOX_FAILED');
  }
}

function checkedKey(key: Buffer): Buffer {
  if (key.length !== KEY_BYTES) throw new Error('key must be 32 bytes');
  return key;
}

function additionalData(context: string): Buffer {
  return Buffer.from(`${VERSION}:${context}`, 'utf8');
}

function strictBase64Url(text: string, expectedBytes?: number): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new Error('not canonical base64url');
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) throw new Error('bad length');
  return bytes;
}
