import assert from 'node:assert/strict';
import {
  decodeStrictBase64,
  decryptEncryptedContent,
} from '../../../src/notifications/crypto/decrypt-content';
import { parseCertificatePem } from '../../../src/notifications/keys/certificate';
import { KeyRing } from '../../../src/notifications/keys/key-ring';
import { encryptForCertificate } from '../../../tools/simulator/notification-encryption';
import { generatedCertificate } from '../../helpers/generated-certificates';

describe('encryptForCertificate', () => {
  let ring: KeyRing;

  before(async () => {
    ring = KeyRing.fromMaterial([{ certificateId: 'sim-cert', ...(await generatedCertificate()) }]);
  });

  function encrypt(plaintext: Buffer): ReturnType<typeof encryptForCertificate> {
    const current = ring.current();
    const { publicKey } = parseCertificatePem(
      `-----BEGIN CERTIFICATE-----\n${current.certificateBase64}\n-----END CERTIFICATE-----\n`,
    );
    return encryptForCertificate(plaintext, {
      publicKey,
      certificateId: current.certificateId,
      thumbprint: current.thumbprint,
    });
  }

  it('round-trips through the receiver side decryption with the certificate named in the content', () => {
    const plaintext = Buffer.from(
      JSON.stringify({ id: 'user-1', availability: 'Available', activity: 'Available' }),
    );
    const content = encrypt(plaintext);
    assert.equal(content.encryptionCertificateId, 'sim-cert');
    assert.equal(content.encryptionCertificateThumbprint, ring.current().thumbprint);
    const entry = ring.find(
      content.encryptionCertificateId,
      content.encryptionCertificateThumbprint,
    );
    assert.ok(entry);
    assert.deepEqual(decryptEncryptedContent(content, entry.privateKey), plaintext);
  });

  it('round-trips empty and block-sized plaintexts', () => {
    for (const size of [0, 15, 16, 17, 4096]) {
      const plaintext = Buffer.alloc(size, 7);
      assert.deepEqual(
        decryptEncryptedContent(encrypt(plaintext), ring.current().privateKey),
        plaintext,
      );
    }
  });

  it('uses a fresh key on every call and emits canonical base64', () => {
    const plaintext = Buffer.from('same text');
    const first = encrypt(plaintext);
    const second = encrypt(plaintext);
    assert.notEqual(first.dataKey, second.dataKey);
    assert.notEqual(first.data, second.data);
    for (const field of [first.data, first.dataKey, first.dataSignature]) {
      assert.equal(decodeStrictBase64(field).toString('base64'), field);
    }
    assert.equal(decodeStrictBase64(first.dataSignature).length, 32);
  });
});
