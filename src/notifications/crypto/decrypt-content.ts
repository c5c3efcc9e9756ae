import {
  constants,
  createDecipheriv,
  createHmac,
  privateDecrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { AppError } from '../../errors/app-error';
import type { EncryptedContent } from '../receiver/notification-envelope';

const SYMMETRIC_KEY_BYTES = 32;
const IV_BYTES = 16;
const HMAC_BYTES = 32;

/** Decodes canonical, padded base64 only: any other character, truncation or non-zero padding bits throw. */
export function decodeStrictBase64(text: unknown): Buffer {
  if (typeof text !== 'string' || text.length === 0) {
    throw new AppError('DECRYPTION_FAILED');
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) {
    throw new AppError('DECRYPTION_FAILED');
  }
  return bytes;
}

function unwrapDataKey(dataKey: unknown, privateKey: KeyObject): Buffer {
  const key = privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    decodeStrictBase64(dataKey),
  );
  if (key.length !== SYMMETRIC_KEY_BYTES) {
    throw new AppError('DECRYPTION_FAILED');
  }
  return key;
}

function verifySignature(key: Buffer, ciphertext: Buffer, dataSignature: unknown): void {
  const expected = createHmac('sha256', key).update(ciphertext).digest();
  const received = decodeStrictBase64(dataSignature);
  if (received.length !== HMAC_BYTES || !timingSafeEqual(expected, received)) {
    throw new AppError('DECRYPTION_FAILED');
  }
}

function decryptAesCbc(key: Buffer, ciphertext: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, IV_BYTES));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

function verifyAndDecrypt(content: EncryptedContent, privateKey: KeyObject): Buffer {
  const key = unwrapDataKey(content.dataKey, privateKey);
  const ciphertext = decodeStrictBase64(content.data);
  verifySignature(key, ciphertext, content.dataSignature);
  return decryptAesCbc(key, ciphertext);
}

/**
 * Verifies and decrypts a Graph `encryptedContent` block with the certificate's private key
 * (RSA-OAEP-SHA1 key wrap, HMAC-SHA256 checked before AES-256-CBC); any failure is one opaque DECRYPTION_FAILED.
 */
export function decryptEncryptedContent(content: EncryptedContent, privateKey: KeyObject): Buffer {
  try {
    return verifyAndDecrypt(content, privateKey);
  } catch {
    throw new AppError('DECRYPTION_FAILED');
  }
}
