import { createPrivateKey, type KeyObject } from 'node:crypto';
import { AppError } from '../../errors/app-error';

const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 4096;

/** Throws KEY_LOAD_FAILED unless `key` is an RSA key of 2048 to 4096 bits (what Graph accepts). */
export function assertSupportedRsaKey(key: KeyObject, what: string): void {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new AppError('KEY_LOAD_FAILED', `the ${what} must be RSA with 2048 to 4096 bits`);
  }
}

/** Parses an unencrypted PKCS#8 or PKCS#1 PEM RSA private key into a KeyObject (once; reuse it). */
export function parseRsaPrivateKeyPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new AppError(
      'KEY_LOAD_FAILED',
      'the private key is not an unencrypted PKCS#8 or PKCS#1 PEM key',
    );
  }
  assertSupportedRsaKey(key, 'private key');
  return key;
}
