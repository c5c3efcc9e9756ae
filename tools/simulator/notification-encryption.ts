import {
  constants,
  createCipheriv,
  createHmac,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import type { EncryptedContent } from '../../src/notifications/receiver/notification-envelope';

/** The subscriber's certificate, as the sender knows it. */
export interface EncryptionCertificate {
  publicKey: KeyObject;
  certificateId: string;
  thumbprint: string;
}

/**
 * Encrypts a resource for a subscriber's certificate the way Microsoft Graph does: a fresh 32-byte key
 * wrapped with RSA-OAEP-SHA1, AES-256-CBC with IV = key[0..16), HMAC-SHA256 over the ciphertext.
 */
export function encryptForCertificate(
  plaintext: Buffer,
  certificate: EncryptionCertificate,
): EncryptedContent {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const dataKey = publicEncrypt(
    { key: certificate.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    key,
  );
  return {
    data: ciphertext.toString('base64'),
    dataSignature: createHmac('sha256', key).update(ciphertext).digest('base64'),
    dataKey: dataKey.toString('base64'),
    encryptionCertificateId: certificate.certificateId,
    encryptionCertificateThumbprint: certificate.thumbprint,
  };
}
