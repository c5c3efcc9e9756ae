import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import workerThreads from 'node:worker_threads';
import sinon from 'sinon';
import { isAppError } from '../../../src/errors/app-error';
import {
  createContentDecryptor,
  type ContentDecryptor,
} from '../../../src/notifications/crypto/decrypt-pool';
import { parseCertificatePem } from '../../../src/notifications/keys/certificate';
import { KeyRing } from '../../../src/notifications/keys/key-ring';
import { parseRsaPrivateKeyPem } from '../../../src/notifications/keys/private-key';
import { encryptForCertificate } from '../../../tools/simulator/notification-encryption';
import {
  assertOpaqueDecryptionFailure,
  assertRejectsOpaquely,
} from '../../helpers/assert-decryption-failed';
import {
  decryptionVector,
  vectorContentWith,
  vectorPrivateKey,
} from '../../helpers/decryption-vector';
import { generatedCertificate } from '../../helpers/generated-certificates';

const vectorMaterial = {
  certificateId: 'custom-id-for-testing',
  certificatePem: decryptionVector.certificatePem,
  privateKeyPem: decryptionVector.privateKeyPem,
};

describe('createContentDecryptor', () => {
  const open: ContentDecryptor[] = [];
  const decryptorFor = (keyRing: KeyRing, threads: number): ContentDecryptor => {
    const decryptor = createContentDecryptor({ keyRing, threads });
    open.push(decryptor);
    return decryptor;
  };

  afterEach(async () => {
    sinon.restore();
    await Promise.all(open.splice(0).map((decryptor) => decryptor.close()));
  });

  for (const threads of [0, 2]) {
    describe(`with ${threads} worker threads`, () => {
      it('decrypts the real vector, picking the key by certificate id', async () => {
        const decryptor = decryptorFor(KeyRing.fromMaterial([vectorMaterial]), threads);
        const plaintext = await decryptor.decrypt(
          vectorContentWith({ encryptionCertificateThumbprint: undefined }),
        );
        assert.equal(plaintext.toString('utf8'), decryptionVector.expectedPlaintext);
      });

      it('decrypts the real vector by thumbprint when the id is unknown', async () => {
        const ring = KeyRing.fromMaterial([
          await generatedCertificate(),
          { ...vectorMaterial, certificateId: 'mine' },
        ]);
        const plaintext = await decryptorFor(ring, threads).decrypt(
          decryptionVector.encryptedContent,
        );
        assert.equal(plaintext.toString('utf8'), decryptionVector.expectedPlaintext);
      });

      it('decrypts with a single key whatever certificate the item names', async () => {
        const decryptor = decryptorFor(KeyRing.single(vectorPrivateKey()), threads);
        const plaintext = await decryptor.decrypt(
          vectorContentWith({ encryptionCertificateId: 'another-id' }),
        );
        assert.equal(plaintext.toString('utf8'), decryptionVector.expectedPlaintext);
      });

      it('fails opaquely for an unknown certificate', async () => {
        const decryptor = decryptorFor(KeyRing.fromMaterial([vectorMaterial]), threads);
        await assertRejectsOpaquely(
          decryptor.decrypt(
            vectorContentWith({
              encryptionCertificateId: 'unknown',
              encryptionCertificateThumbprint: undefined,
            }),
          ),
        );
      });

      it('fails opaquely for tampered content and for the wrong key', async () => {
        const decryptor = decryptorFor(KeyRing.fromMaterial([vectorMaterial]), threads);
        const data = `A${decryptionVector.encryptedContent.data.slice(1)}`;
        await assertRejectsOpaquely(decryptor.decrypt(vectorContentWith({ data })));
        const wrongKey = KeyRing.single(
          parseRsaPrivateKeyPem((await generatedCertificate()).privateKeyPem),
        );
        await assertRejectsOpaquely(
          decryptorFor(wrongKey, threads).decrypt(decryptionVector.encryptedContent),
        );
      });

      it('decrypts many concurrent items for several certificates correctly', async () => {
        const generated = await generatedCertificate();
        const ring = KeyRing.fromMaterial([
          { ...generated, certificateId: 'generated' },
          vectorMaterial,
        ]);
        const certificate = {
          ...ring.current(),
          publicKey: parseCertificatePem(generated.certificatePem).publicKey,
        };
        const decryptor = decryptorFor(ring, threads);
        const items = Array.from(
          { length: 60 },
          (_, index) => `{"id":"user-${index}","availability":"Busy"}`,
        );
        const results = await Promise.all([
          ...items.map((text) =>
            decryptor.decrypt(encryptForCertificate(Buffer.from(text), certificate)),
          ),
          decryptor.decrypt(decryptionVector.encryptedContent),
        ]);
        assert.deepEqual(
          results.map((plaintext) => plaintext.toString('utf8')),
          [...items, decryptionVector.expectedPlaintext],
        );
      });

      it('fails every call after close', async () => {
        const decryptor = createContentDecryptor({
          keyRing: KeyRing.single(vectorPrivateKey()),
          threads,
        });
        await decryptor.close();
        await assertRejectsOpaquely(decryptor.decrypt(decryptionVector.encryptedContent));
      });
    });
  }

  it('fails the pending jobs of a crashed worker and replaces it', async () => {
    const started: workerThreads.Worker[] = [];
    class RecordingWorker extends workerThreads.Worker {
      constructor(...args: ConstructorParameters<typeof workerThreads.Worker>) {
        super(...args);
        started.push(this);
      }
    }
    sinon.replace(workerThreads, 'Worker', RecordingWorker);
    const decryptor = decryptorFor(KeyRing.single(vectorPrivateKey()), 1);
    const pending = Array.from({ length: 10 }, () =>
      decryptor.decrypt(decryptionVector.encryptedContent),
    );
    await started[0]?.terminate();
    const outcomes = await Promise.allSettled(pending);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    assert.ok(failures.length > 0, 'jobs pending on the dead worker fail');
    failures.forEach((failure) => assertOpaqueDecryptionFailure(failure.reason));
    const plaintext = await decryptor.decrypt(decryptionVector.encryptedContent);
    assert.equal(plaintext.toString('utf8'), decryptionVector.expectedPlaintext);
    assert.equal(started.length, 2);
  });

  it('terminates its workers on close, so the process can end', async () => {
    const script = join(__dirname, '../../helpers/decryptor-close-script.ts');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--require', require.resolve('tsx/cjs'), script], (error, out) =>
        error ? reject(error) : resolve(out),
      );
    });
    assert.equal(stdout, 'decrypted');
  });

  it('refuses a negative or fractional thread count', () => {
    for (const threads of [-1, 1.5, Number.NaN]) {
      assert.throws(
        () => createContentDecryptor({ keyRing: KeyRing.single(vectorPrivateKey()), threads }),
        (error) => isAppError(error, 'CONFIG_INVALID'),
      );
    }
  });
});
