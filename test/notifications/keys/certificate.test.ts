import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { isAppError } from '../../../src/errors/app-error';
import {
  certificateDerFromPem,
  certificateThumbprint,
  generateSelfSignedCertificate,
  parseCertificatePem,
} from '../../../src/notifications/keys/certificate';
import { decryptionVector } from '../../helpers/decryption-vector';

describe('certificate', () => {
  describe('generateSelfSignedCertificate', () => {
    const now = new Date('2030-01-02T03:04:05.000Z');
    let certificatePem: string;
    let privateKeyPem: string;

    before(async () => {
      ({ certificatePem, privateKeyPem } = await generateSelfSignedCertificate({
        commonName: 'presence-watch.test',
        validDays: 90,
        now,
      }));
    });

    it('makes a self-signed RSA-2048 certificate for the common name, valid from now for validDays', () => {
      const certificate = new X509Certificate(certificatePem);
      assert.equal(certificate.subject, 'CN=presence-watch.test');
      assert.equal(certificate.issuer, 'CN=presence-watch.test');
      assert.ok(certificate.verify(certificate.publicKey), 'signed by its own key');
      assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(new Date(certificate.validFrom).toISOString(), now.toISOString());
      assert.equal(new Date(certificate.validTo).toISOString(), '2030-04-02T03:04:05.000Z');
      assert.equal(certificate.ca, false);
    });

    it('signs with SHA-256', () => {
      const { signatureAlgorithm } = new x509.X509Certificate(certificatePem);
      assert.deepEqual(signatureAlgorithm, {
        name: 'RSASSA-PKCS1-v1_5',
        hash: { name: 'SHA-256' },
      });
    });

    it('returns the matching private key as PKCS#8 PEM', () => {
      assert.match(privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
      const certificate = new X509Certificate(certificatePem);
      assert.ok(certificate.checkPrivateKey(createPrivateKey(privateKeyPem)));
    });

    it('gives a thumbprint equal to the SHA-1 fingerprint without colons', () => {
      const fingerprint = new X509Certificate(certificatePem).fingerprint.replace(/:/g, '');
      assert.equal(certificateThumbprint(certificateDerFromPem(certificatePem)), fingerprint);
      assert.equal(parseCertificatePem(certificatePem).thumbprint, fingerprint);
    });

    it('makes a different key and serial number every time', async () => {
      const other = await generateSelfSignedCertificate({
        commonName: 'presence-watch.test',
        validDays: 90,
        now,
      });
      assert.notEqual(other.privateKeyPem, privateKeyPem);
      assert.notEqual(
        new X509Certificate(other.certificatePem).serialNumber,
        new X509Certificate(certificatePem).serialNumber,
      );
    });
  });

  describe('parseCertificatePem', () => {
    it('reads the real vector certificate: thumbprint, validity window and 4096-bit public key', () => {
      const parsed = parseCertificatePem(decryptionVector.certificatePem);
      assert.equal(parsed.thumbprint, '4B95353E086AD37196606ACF834A14532F03E6DB');
      assert.equal(parsed.notBefore.toISOString(), '2021-06-30T14:55:36.000Z');
      assert.equal(parsed.notAfter.toISOString(), '2023-02-20T14:55:36.000Z');
      assert.equal(parsed.publicKey.type, 'public');
      assert.equal(parsed.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
      assert.deepEqual(
        parsed.certificateDer,
        certificateDerFromPem(decryptionVector.certificatePem),
      );
    });

    it('throws KEY_LOAD_FAILED for text that is not a certificate', () => {
      for (const pem of ['', 'not a certificate', decryptionVector.privateKeyPem]) {
        assert.throws(
          () => parseCertificatePem(pem),
          (error) => isAppError(error, 'KEY_LOAD_FAILED'),
        );
        assert.throws(
          () => certificateDerFromPem(pem),
          (error) => isAppError(error, 'KEY_LOAD_FAILED'),
        );
      }
    });
  });
});
