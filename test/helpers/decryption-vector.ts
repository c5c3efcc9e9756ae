import type { KeyObject } from 'node:crypto';
import vector from '../fixtures/decryption-vector-msgraph-sdk.json';
import { parseRsaPrivateKeyPem } from '../../src/notifications/keys/private-key';
import type { EncryptedContent } from '../../src/notifications/receiver/notification-envelope';

/** The real Microsoft Graph SDK decryption vector (see test/fixtures/README.md). */
export const decryptionVector = {
  encryptedContent: vector.encryptedContent as EncryptedContent,
  certificatePem: vector.certificatePem,
  privateKeyPem: vector.privateKeyPem,
  thumbprint: vector.certificate.sha1Thumbprint,
  expectedPlaintext: vector.expectedPlaintext,
};

/** The vector's private key as a KeyObject. */
export function vectorPrivateKey(): KeyObject {
  return parseRsaPrivateKeyPem(decryptionVector.privateKeyPem);
}

/** A copy of the vector's encrypted content with some fields replaced. */
export function vectorContentWith(fields: Partial<EncryptedContent>): EncryptedContent {
  return { ...decryptionVector.encryptedContent, ...fields };
}
