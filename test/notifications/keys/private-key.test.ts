import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { isAppError } from '../../../src/errors/app-error';
import { parseRsaPrivateKeyPem } from '../../../src/notifications/keys/private-key';
import { decryptionVector } from '../../helpers/decryption-vector';

const isKeyLoadFailure = (error: unknown): boolean => isAppError(error, 'KEY_LOAD_FAILED');

describe('parseRsaPrivateKeyPem', () => {
  it('parses a PKCS#8 PEM key', () => {
    const key = parseRsaPrivateKeyPem(decryptionVector.privateKeyPem);
    assert.equal(key.type, 'private');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 4096);
  });

  it('parses a PKCS#1 PEM key', () => {
    const pkcs1 = parseRsaPrivateKeyPem(decryptionVector.privateKeyPem).export({
      type: 'pkcs1',
      format: 'pem',
    });
    assert.match(String(pkcs1), /^-----BEGIN RSA PRIVATE KEY-----/);
    const key = parseRsaPrivateKeyPem(String(pkcs1));
    assert.ok(key.equals(parseRsaPrivateKeyPem(decryptionVector.privateKeyPem)));
  });

  it('rejects RSA keys under 2048 or over 4096 bits, and non-RSA keys', () => {
    const tooSmall = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    for (const key of [tooSmall, ec]) {
      const pem = String(key.export({ type: 'pkcs8', format: 'pem' }));
      assert.throws(() => parseRsaPrivateKeyPem(pem), isKeyLoadFailure);
    }
  });

  it('rejects garbage and passphrase-protected keys without echoing the key', () => {
    const encrypted = String(
      parseRsaPrivateKeyPem(decryptionVector.privateKeyPem).export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'secret',
      }),
    );
    for (const pem of ['', 'garbage', decryptionVector.certificatePem, encrypted]) {
      assert.throws(
        () => parseRsaPrivateKeyPem(pem),
        (error) => isKeyLoadFailure(error) && !(error as Error).message.includes('MII'),
      );
    }
  });
});
