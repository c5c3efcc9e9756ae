import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../src/logging/logger';
import { provisionKeyRing } from '../../../src/notifications/keys/key-provisioning';
import { retireEncryptionKey } from '../../../src/store/encryption-keys';
import { createStoreKeyRing } from '../../../src/store/store-keys';
import { expectAppError } from '../../helpers/expect-app-error';
import { forEachEngine } from '../../helpers/for-each-engine';
import { generatedCertificate } from '../../helpers/generated-certificates';

const STORE_KEY = createStoreKeyRing(Buffer.alloc(32, 9));

forEachEngine('key provisioning', (fixture) => {
  const provision = (
    certificates: { certFile: string; keyFile: string }[] = [],
    now = new Date(),
  ) =>
    provisionKeyRing({
      certificates,
      store: fixture.store,
      storeKey: STORE_KEY,
      now: () => now,
      logger: silentLogger(),
    });

  it('generates a self-signed certificate once and reuses it after a restart', async () => {
    const first = await provision();
    const again = await provision();
    assert.equal(again.current().certificateId, first.current().certificateId);
    assert.equal(again.entries().length, 1);
    assert.match(first.current().certificateId, /^pw-[0-9a-f]{40}$/);
    assert.equal(first.current().privateKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  it('stores the private key sealed, never as PEM', async () => {
    await provision();
    const rows = await fixture.store.db.selectFrom('encryption_keys').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes('PRIVATE KEY'));
  });

  it('keeps a retired key for decryption and makes a new current one', async () => {
    const first = await provision();
    await retireEncryptionKey(fixture.store.db, first.current().certificateId, Date.now());
    const rotated = await provision([], new Date(Date.now() + 1000));
    assert.notEqual(rotated.current().certificateId, first.current().certificateId);
    assert.ok(rotated.find(first.current().certificateId), 'the retired key still decrypts');
  });

  it('gives two instances starting together the same key', async () => {
    const other = await fixture.open();
    const [a, b] = await Promise.all([
      provision(),
      provisionKeyRing({
        certificates: [],
        store: other,
        storeKey: STORE_KEY,
        now: () => new Date(),
        logger: silentLogger(),
      }),
    ]);
    assert.equal(a.current().certificateId, b.current().certificateId);
  });

  it('refuses a store key that does not open the stored keys', async () => {
    await provision();
    await expectAppError(
      provisionKeyRing({
        certificates: [],
        store: fixture.store,
        storeKey: createStoreKeyRing(Buffer.alloc(32, 1)),
        now: () => new Date(),
        logger: silentLogger(),
      }),
      'STORE_KEY_UNAVAILABLE',
    );
  });

  it('loads configured certificate files instead, current first', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-keys-'));
    try {
      const files = [];
      for (const name of ['new', 'old']) {
        const material = await generatedCertificate(name);
        const certFile = path.join(dir, `${name}.crt`);
        const keyFile = path.join(dir, `${name}.key`);
        await writeFile(certFile, material.certificatePem);
        await writeFile(keyFile, material.privateKeyPem);
        files.push({ certFile, keyFile });
      }
      const ring = await provision(files);
      assert.equal(ring.entries().length, 2);
      assert.equal(ring.current().certificateId, ring.entries()[0]?.certificateId);
      const rows = await fixture.store.db.selectFrom('encryption_keys').selectAll().execute();
      assert.equal(rows.length, 0, 'configured keys are not copied into the store');
      await expectAppError(
        provision([{ certFile: path.join(dir, 'missing.crt'), keyFile: files[0]?.keyFile ?? '' }]),
        'KEY_LOAD_FAILED',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
