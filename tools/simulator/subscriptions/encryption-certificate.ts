import { X509Certificate } from 'node:crypto';
import { certificateThumbprint } from '../../../src/notifications/keys/certificate';
import { invalidRequest as invalid } from '../http/graph-error';
import type { EncryptionCertificate } from '../notification-encryption';

const MAX_CERTIFICATE_ID_LENGTH = 128;
const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 4096;

function decodeDer(encoded: string): Buffer {
  const der = Buffer.from(encoded, 'base64');
  if (
    der.length === 0 ||
    der.toString('base64').replace(/=+$/, '') !== encoded.replace(/\s/g, '').replace(/=+$/, '')
  ) {
    throw invalid('encryptionCertificate must be a base64-encoded X.509 certificate.');
  }
  return der;
}

function parseCertificate(der: Buffer): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw invalid('encryptionCertificate is not a valid X.509 certificate.');
  }
}

/** Checks `encryptionCertificate` (base64 DER, RSA 2048 to 4096 bits) and its id, as Graph does. */
export function readEncryptionCertificate(
  encoded: unknown,
  certificateId: unknown,
): EncryptionCertificate {
  if (typeof encoded !== 'string' || encoded.length === 0) {
    throw invalid('encryptionCertificate is required when includeResourceData is true.');
  }
  if (typeof certificateId !== 'string' || certificateId.length === 0) {
    throw invalid('encryptionCertificateId is required when includeResourceData is true.');
  }
  if (certificateId.length > MAX_CERTIFICATE_ID_LENGTH) {
    throw invalid(
      `encryptionCertificateId must be at most ${MAX_CERTIFICATE_ID_LENGTH} characters.`,
    );
  }
  const der = decodeDer(encoded);
  const certificate = parseCertificate(der);
  const publicKey = certificate.publicKey;
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (publicKey.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw invalid('encryptionCertificate must hold an RSA public key of 2048 to 4096 bits.');
  }
  return { publicKey, certificateId, thumbprint: certificateThumbprint(der) };
}
