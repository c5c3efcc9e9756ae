import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const DAY_MS = 24 * 60 * 60 * 1000;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

type X509CryptoProvider = Parameters<typeof x509.X509CertificateGenerator.create>[1];

/** A local certificate authority and the TLS server certificate it issued for loopback. */
export interface LocalTlsMaterial {
  /** The CA certificate (PEM) a client trusts to reach the simulator's Entra over TLS. */
  caCertificatePem: string;
  /** The server certificate (PEM) for 127.0.0.1, ::1 and localhost, signed by the CA. */
  serverCertificatePem: string;
  serverPrivateKeyPem: string;
}

function toPem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function serialNumber(): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  return serial.toString('hex');
}

function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

/**
 * Generates a fresh CA (valid 30 days, never reused across runs) and a loopback server certificate
 * it signs, so TLS clients verify the simulator normally with only the CA added to their trust.
 */
export async function createLocalTlsMaterial(now = new Date()): Promise<LocalTlsMaterial> {
  const crypto = webcrypto as X509CryptoProvider;
  const notAfter = new Date(now.getTime() + 30 * DAY_MS);
  const caKeys = await newKeys();
  const caName = 'CN=Presence Watch tenant simulator local CA';
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: caName,
      notBefore: now,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const serverKeys = await newKeys();
  const server = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serialNumber(),
      subject: 'CN=127.0.0.1',
      issuer: caName,
      notBefore: now,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: serverKeys.publicKey,
      signingKey: caKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(
          [
            { type: 'ip', value: '127.0.0.1' },
            { type: 'ip', value: '::1' },
            { type: 'dns', value: 'localhost' },
          ],
          false,
        ),
        await x509.AuthorityKeyIdentifierExtension.create(ca, false, crypto),
      ],
    },
    crypto,
  );
  return {
    caCertificatePem: ca.toString('pem') + '\n',
    serverCertificatePem: server.toString('pem') + '\n',
    serverPrivateKeyPem: toPem(
      'PRIVATE KEY',
      await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey),
    ),
  };
}
