import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type X509CryptoProvider = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1];

/** A self-signed certificate with a 1024-bit RSA key (too weak for Graph), base64 DER. */
export async function weakCertificateBase64(): Promise<string> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 1024,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: 'CN=weak',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: algorithm,
      keys,
    },
    webcrypto as X509CryptoProvider,
  );
  return Buffer.from(certificate.rawData).toString('base64');
}
