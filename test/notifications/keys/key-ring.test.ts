import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { isAppError } from '../../../src/errors/app-error';
import { type CertificateMaterial } from '../../../src/notifications/keys/certificate';
import {
  KeyRing,
  type KeyMaterial,
  type KeyRingEntry,
} from '../../../src/notifications/keys/key-ring';
import { parseRsaPrivateKeyPem } from '../../../src/notifications/keys/private-key';
import { decryptionVector } from '../../helpers/decryption-vector';
import { generatedCertificate } from '../../helpers/generated-certificates';

const isKeyLoadFailure = (error: unknown): boolean => isAppError(error, 'KEY_LOAD_FAILED');
const vectorMaterial: KeyMaterial = {
  certificateId: 'custom-id-for-testing',
  certificatePem: decryptionVector.certificatePem,
  privateKeyPem: decryptionVector.privateKeyPem,
};

describe('KeyRing', () => {
  let generated: CertificateMaterial;

  before(async () => {
    generated = await generatedCertificate();
  });

  describe('fromMaterial', () => {
    it('builds entries with id, thumbprint, base64 DER certificate, parsed key and expiry; the first is current', () => {
      const ring = KeyRing.fromMaterial([vectorMaterial, generated]);
      const current = ring.current();
      assert.equal(current.certificateId, 'custom-id-for-testing');
      assert.equal(current.thumbprint, decryptionVector.thumbprint);
      assert.deepEqual(
        Buffer.from(current.certificateBase64, 'base64'),
        new X509Certificate(decryptionVector.certificatePem).raw,
      );
      assert.equal(current.privateKey.type, 'private');
      assert.ok(current.privateKey.equals(parseRsaPrivateKeyPem(decryptionVector.privateKeyPem)));
      assert.equal(current.notAfter.toISOString(), '2023-02-20T14:55:36.000Z');
      assert.deepEqual(
        ring.entries().map((entry) => entry.certificateId),
        ['custom-id-for-testing', ring.entries()[1]?.certificateId],
      );
    });

    it('names a certificate without an id pw-<lower-case thumbprint>', () => {
      const ring = KeyRing.fromMaterial([generated]);
      const thumbprint = new X509Certificate(generated.certificatePem).fingerprint.replace(
        /:/g,
        '',
      );
      assert.equal(ring.current().certificateId, `pw-${thumbprint.toLowerCase()}`);
      assert.equal(ring.current().thumbprint, thumbprint);
    });

    it('accepts a PKCS#1 private key', () => {
      const pkcs1 = parseRsaPrivateKeyPem(generated.privateKeyPem).export({
        type: 'pkcs1',
        format: 'pem',
      });
      const ring = KeyRing.fromMaterial([{ ...generated, privateKeyPem: String(pkcs1) }]);
      assert.equal(ring.entries().length, 1);
    });

    it('refuses a private key that does not match its certificate', () => {
      const mismatched = {
        certificatePem: generated.certificatePem,
        privateKeyPem: decryptionVector.privateKeyPem,
      };
      assert.throws(
        () => KeyRing.fromMaterial([mismatched]),
        (error) => isKeyLoadFailure(error) && /does not match/.test((error as Error).message),
      );
    });

    it('refuses an empty list, a duplicate id or certificate, and ids over 128 characters', () => {
      const cases: KeyMaterial[][] = [
        [],
        [vectorMaterial, { ...generated, certificateId: 'custom-id-for-testing' }],
        [vectorMaterial, { ...vectorMaterial, certificateId: 'another-id' }],
        [{ ...generated, certificateId: 'x'.repeat(129) }],
        [{ ...generated, certificateId: '' }],
      ];
      for (const items of cases) {
        assert.throws(() => KeyRing.fromMaterial(items), isKeyLoadFailure);
      }
      assert.equal(
        KeyRing.fromMaterial([{ ...generated, certificateId: 'x'.repeat(128) }]).entries().length,
        1,
      );
    });

    it('is immutable', () => {
      const ring = KeyRing.fromMaterial([vectorMaterial]);
      assert.throws(() => (ring.entries() as KeyRingEntry[]).push(ring.current()), TypeError);
      assert.throws(() => {
        (ring.current() as { certificateId: string }).certificateId = 'changed';
      }, TypeError);
      assert.equal(ring.current().certificateId, 'custom-id-for-testing');
    });
  });

  describe('find', () => {
    it('finds by id first, then by thumbprint in any case, else nothing', () => {
      const ring = KeyRing.fromMaterial([vectorMaterial, generated]);
      const [vector, other] = ring.entries();
      assert.equal(ring.find('custom-id-for-testing'), vector);
      assert.equal(ring.find(undefined, decryptionVector.thumbprint.toLowerCase()), vector);
      assert.equal(ring.find('unknown-id', decryptionVector.thumbprint), vector);
      assert.equal(ring.find('custom-id-for-testing', other?.thumbprint), vector);
      assert.equal(ring.find(other?.certificateId, decryptionVector.thumbprint), other);
      assert.equal(ring.find('unknown-id', 'ABCDEF'), undefined);
      assert.equal(ring.find(), undefined);
    });

    it('gives the private key of the matching entry, and none for an unknown certificate', () => {
      const ring = KeyRing.fromMaterial([vectorMaterial, generated]);
      assert.equal(ring.privateKeyFor('custom-id-for-testing'), ring.entries()[0]?.privateKey);
      assert.equal(ring.privateKeyFor('unknown-id'), undefined);
    });
  });

  describe('single and fromPrivateKeys', () => {
    it('single: one key for every item whatever it names, but no certificate', () => {
      const key = parseRsaPrivateKeyPem(generated.privateKeyPem);
      const ring = KeyRing.single(key);
      assert.equal(ring.privateKeyFor('any-id'), key);
      assert.equal(ring.privateKeyFor(undefined, 'ABCDEF'), key);
      assert.equal(ring.privateKeyFor(), key);
      assert.equal(ring.find('any-id'), undefined);
      assert.deepEqual(ring.entries(), []);
      assert.throws(() => ring.current(), isKeyLoadFailure);
    });

    it('fromPrivateKeys: keys by id, the one without an id as fallback', () => {
      const vectorKey = parseRsaPrivateKeyPem(decryptionVector.privateKeyPem);
      const otherKey = parseRsaPrivateKeyPem(generated.privateKeyPem);
      const withFallback = KeyRing.fromPrivateKeys([
        { certificateId: 'a', privateKey: vectorKey },
        { privateKey: otherKey },
      ]);
      assert.equal(withFallback.privateKeyFor('a'), vectorKey);
      assert.equal(withFallback.privateKeyFor('b'), otherKey);
      const idsOnly = KeyRing.fromPrivateKeys([{ certificateId: 'a', privateKey: vectorKey }]);
      assert.equal(idsOnly.privateKeyFor('b'), undefined);
    });

    it('fromPrivateKeys refuses two fallbacks, duplicate ids and public keys', () => {
      const key = parseRsaPrivateKeyPem(generated.privateKeyPem);
      const publicKey = new X509Certificate(generated.certificatePem).publicKey;
      const cases = [
        [],
        [{ privateKey: key }, { privateKey: key }],
        [
          { certificateId: 'a', privateKey: key },
          { certificateId: 'a', privateKey: key },
        ],
        [{ certificateId: 'a', privateKey: publicKey }],
      ];
      for (const keys of cases) {
        assert.throws(() => KeyRing.fromPrivateKeys(keys), isKeyLoadFailure);
      }
    });
  });
});
