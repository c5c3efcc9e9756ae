import { X509Certificate, createHash, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AppError } from '../../errors/app-error';

const DAY_MS = 24 * 60 * 60 * 1000;
const SIGNING_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

type X509CryptoProvider = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1];

/** Options for a freshly generated self-signed encryption certificate. */
export interface SelfSignedCertificateOptions {
  commonName: string;
  validDays: number;
  now?: Date;
}

/** A certificate and its private key, both PEM (the key as PKCS#8). */
export interface CertificateMaterial {
  certificatePem: string;
  privateKeyPem: string;
}

/** What the rest of the app needs to know about a parsed certificate. */
export interface ParsedCertificate {
  certificateDer: Buffer;
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function randomSerialNumber(): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  return serial.toString('hex');
}

function certificateExtensions(): x509.Extension[] {
  const usages =
    x509.KeyUsageFlags.digitalSignature |
    x509.KeyUsageFlags.keyEncipherment |
    x509.KeyUsageFlags.dataEncipherment;
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
  ];
}

/** Generates a self-signed RSA-2048 / SHA-256 certificate suitable as a Graph `encryptionCertificate`. */
export async function generateSelfSignedCertificate(
  options: SelfSignedCertificateOptions,
): Promise<CertificateMaterial> {
  const { subtle } = webcrypto;
  const notBefore = options.now ?? new Date();
  const algorithm = {
    ...SIGNING_ALGORITHM,
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerialNumber(),
      name: new x509.Name([{ CN: [options.commonName] }]),
      notBefore,
      notAfter: new Date(notBefore.getTime() + options.validDays * DAY_MS),
      signingAlgorithm: SIGNING_ALGORITHM,
      keys,
      extensions: certificateExtensions(),
    },
    webcrypto as X509CryptoProvider,
  );
  const privateKeyDer = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certificatePem: toPem('CERTIFICATE', Buffer.from(certificate.rawData)),
    privateKeyPem: toPem('PRIVATE KEY', privateKeyDer),
  };
}

/** The certificate thumbprint Graph reports: upper-case hex SHA-1 of the DER encoding. */
export function certificateThumbprint(certificateDer: Buffer): string {
  return createHash('sha1').update(certificateDer).digest('hex').toUpperCase();
}

function readCertificate(pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new AppError('KEY_LOAD_FAILED', 'the certificate is not a valid PEM X.509 certificate');
  }
}

/** The DER bytes of a PEM certificate (what Graph's `encryptionCertificate` carries, base64). */
export function certificateDerFromPem(pem: string): Buffer {
  return readCertificate(pem).raw;
}

/** Parses a PEM certificate into its DER bytes, thumbprint, validity window and public key. */
export function parseCertificatePem(pem: string): ParsedCertificate {
  const certificate = readCertificate(pem);
  return {
    certificateDer: certificate.raw,
    thumbprint: certificateThumbprint(certificate.raw),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    publicKey: certificate.publicKey,
  };
}
