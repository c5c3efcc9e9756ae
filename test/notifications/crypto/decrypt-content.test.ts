import assert from 'node:assert/strict';
import crypto, {
  constants,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import sinon from 'sinon';
import {
  decodeStrictBase64,
  decryptEncryptedContent,
} from '../../../src/notifications/crypto/decrypt-content';
import { parseRsaPrivateKeyPem } from '../../../src/notifications/keys/private-key';
import type { EncryptedContent } from '../../../src/notifications/receiver/notification-envelope';
import { assertOpaqueDecryptionFailure } from '../../helpers/assert-decryption-failed';
import {
  decryptionVector,
  vectorContentWith,
  vectorPrivateKey,
} from '../../helpers/decryption-vector';
import { generatedCertificate } from '../../helpers/generated-certificates';

type Field = 'data' | 'dataKey' | 'dataSignature';

function withCharacterAt(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

const mutations: [string, (text: string) => string][] = [
  [
    'one character changed in the middle',
    (text) => withCharacterAt(text, Math.floor(text.length / 2)),
  ],
  ['its first character changed', (text) => withCharacterAt(text, 0)],
  ['its last character changed', (text) => withCharacterAt(text, text.length - 1)],
  ['truncated by one character', (text) => text.slice(0, -1)],
  ['truncated by four characters', (text) => text.slice(0, -4)],
  ['a non-base64 character inserted', (text) => `${text.slice(0, 8)}*${text.slice(8)}`],
  ['a line break inserted', (text) => `${text.slice(0, 8)}\n${text.slice(8)}`],
  [
    'the base64url alphabet without padding',
    (text) => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ],
  ['nothing in it', () => ''],
];

function decryptVector(content: EncryptedContent): Buffer {
  return decryptEncryptedContent(content, vectorPrivateKey());
}

function vectorSymmetricKey(): Buffer {
  return privateDecrypt(
    { key: vectorPrivateKey(), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(decryptionVector.encryptedContent.dataKey, 'base64'),
  );
}

function wrapForVectorCertificate(key: Buffer, oaepHash: string): string {
  const publicKey = createPublicKey(decryptionVector.certificatePem);
  return publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
    key,
  ).toString('base64');
}

describe('decryptEncryptedContent', () => {
  afterEach(() => sinon.restore());

  it('decrypts the real Microsoft Graph vector to its exact plaintext', () => {
    const plaintext = decryptVector(decryptionVector.encryptedContent);
    assert.equal(plaintext.toString('utf8'), decryptionVector.expectedPlaintext);
  });

  for (const field of ['data', 'dataKey', 'dataSignature'] as Field[]) {
    for (const [name, mutate] of mutations) {
      it(`rejects ${field} (${name}) opaquely`, () => {
        const tampered = mutate(decryptionVector.encryptedContent[field]);
        assert.notEqual(tampered, decryptionVector.encryptedContent[field]);
        assert.throws(
          () => decryptVector(vectorContentWith({ [field]: tampered })),
          assertOpaqueDecryptionFailure,
        );
      });
    }
  }

  it('checks the HMAC before any AES decryption', () => {
    const decipher = sinon.spy(crypto, 'createDecipheriv');
    decryptVector(decryptionVector.encryptedContent);
    assert.equal(decipher.callCount, 1, 'the spy sees the AES decryption of valid content');
    const tampered = withCharacterAt(decryptionVector.encryptedContent.data, 10);
    assert.throws(
      () => decryptVector(vectorContentWith({ data: tampered })),
      assertOpaqueDecryptionFailure,
    );
    assert.equal(decipher.callCount, 1);
  });

  it('rejects a data key wrapped with OAEP-SHA-256 instead of OAEP-SHA-1', () => {
    const dataKey = wrapForVectorCertificate(vectorSymmetricKey(), 'sha256');
    assert.throws(
      () => decryptVector(vectorContentWith({ dataKey })),
      assertOpaqueDecryptionFailure,
    );
  });

  it('accepts the same key re-wrapped with OAEP-SHA-1 (the control for the SHA-256 case)', () => {
    const dataKey = wrapForVectorCertificate(vectorSymmetricKey(), 'sha1');
    const plaintext = decryptVector(vectorContentWith({ dataKey }));
    assert.equal(plaintext.toString('utf8'), decryptionVector.expectedPlaintext);
  });

  it('rejects a data key that does not unwrap to exactly 32 bytes', () => {
    const dataKey = wrapForVectorCertificate(vectorSymmetricKey().subarray(0, 16), 'sha1');
    assert.throws(
      () => decryptVector(vectorContentWith({ dataKey })),
      assertOpaqueDecryptionFailure,
    );
  });

  it('rejects a signature made with another key', () => {
    const dataSignature = crypto
      .createHmac('sha256', randomBytes(32))
      .update(Buffer.from(decryptionVector.encryptedContent.data, 'base64'))
      .digest('base64');
    assert.throws(
      () => decryptVector(vectorContentWith({ dataSignature })),
      assertOpaqueDecryptionFailure,
    );
  });

  it('rejects the vector with a different private key, opaquely', async () => {
    const otherKey = parseRsaPrivateKeyPem((await generatedCertificate()).privateKeyPem);
    assert.throws(
      () => decryptEncryptedContent(decryptionVector.encryptedContent, otherKey),
      assertOpaqueDecryptionFailure,
    );
  });

  it('rejects content whose fields are missing or not strings', () => {
    const malformed = [
      { ...decryptionVector.encryptedContent, data: undefined },
      { ...decryptionVector.encryptedContent, dataKey: 42 },
      null,
    ] as unknown as EncryptedContent[];
    for (const content of malformed) {
      assert.throws(() => decryptVector(content), assertOpaqueDecryptionFailure);
    }
  });
});

describe('decodeStrictBase64', () => {
  it('decodes canonical padded base64', () => {
    assert.deepEqual(decodeStrictBase64('AQID/w=='), Buffer.from([1, 2, 3, 255]));
  });

  it('rejects missing padding, non-zero padding bits, url-safe characters and whitespace', () => {
    for (const text of ['AQID/w', 'AQID/x==', 'AQID_w==', ' AQID/w==', 'AQID/w==\n', '']) {
      assert.throws(() => decodeStrictBase64(text), `accepted ${JSON.stringify(text)}`);
    }
  });
});
