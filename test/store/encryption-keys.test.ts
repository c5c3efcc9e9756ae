import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { isAppError } from '../../src/errors/app-error';
import {
  listEncryptionKeys,
  loadEncryptionKeyMaterial,
  retireEncryptionKey,
  storeEncryptionKeyMaterial,
  type NewEncryptionKeyMaterial,
} from '../../src/store/encryption-keys';
import { createStoreKeyRing } from '../../src/store/store-keys';
import { forEachEngine } from '../helpers/for-each-engine';

const CREATED = 1_700_000_000_000;
const KEY_PAIRS = [0, 1].map(() => generateKeyPairSync('rsa', { modulusLength: 2048 }));
let nextKeyPair = 0;

function keyMaterial(certificateId: string, createdAt = CREATED): NewEncryptionKeyMaterial {
  const { privateKey, publicKey } = KEY_PAIRS[nextKeyPair++ % KEY_PAIRS.length]!;
  return {
    certificateId,
    thumbprint: randomBytes(20).toString('hex').toUpperCase(),
    certificatePem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    createdAt,
    notAfter: createdAt + 365 * 86_400_000,
  };
}

/** The base64 body of a PEM, the part that must never be stored in the clear. */
function pemBody(pem: string): string {
  return pem.split('\n').slice(1, -2).join('');
}

const isSecretBoxFailed = (error: unknown) => isAppError(error, 'SECRET_BOX_FAILED');

forEachEngine('encryption keys', (fixture) => {
  const storeKey = createStoreKeyRing(randomBytes(32));

  it('stores private keys sealed and gives them back in the clear', async () => {
    const first = keyMaterial('cert-1', CREATED);
    const second = keyMaterial('cert-2', CREATED + 1);
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, first);
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, second);
    const loaded = await loadEncryptionKeyMaterial(fixture.store.db, storeKey);
    assert.deepEqual(loaded, [
      { ...second, retiredAt: null },
      { ...first, retiredAt: null },
    ]);
    const rows = JSON.stringify(await listEncryptionKeys(fixture.store.db));
    for (const material of [first, second]) {
      assert.ok(!rows.includes('PRIVATE KEY'));
      assert.ok(!rows.includes(pemBody(material.privateKeyPem).slice(0, 64)));
    }
  });

  it('never writes the private key PEM into the database', async () => {
    const material = keyMaterial('cert-in-storage');
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, material);
    const written = await storedText();
    assert.ok(written.includes(material.certificateId));
    assert.ok(!written.includes(pemBody(material.privateKeyPem).slice(0, 64)));
  });

  /** What the engine holds: the SQLite file's bytes, or every PostgreSQL row as text. */
  async function storedText(): Promise<string> {
    const config = fixture.config;
    if (config.kind === 'sqlite') {
      await fixture.store.close();
      return (await readFile(config.file)).toString('latin1');
    }
    const { rows } = await sql<{
      row: string;
    }>`select e::text as row from encryption_keys e`.execute(fixture.store.db);
    return rows.map((r) => r.row).join('\n');
  }

  it('keeps retired keys out of the default list', async () => {
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, keyMaterial('old', CREATED));
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, keyMaterial('new', CREATED + 1));
    await retireEncryptionKey(fixture.store.db, 'old', CREATED + 2);
    const active = await loadEncryptionKeyMaterial(fixture.store.db, storeKey);
    assert.deepEqual(
      active.map((key) => key.certificateId),
      ['new'],
    );
    const all = await loadEncryptionKeyMaterial(fixture.store.db, storeKey, {
      includeRetired: true,
    });
    assert.deepEqual(
      all.map((key) => [key.certificateId, key.retiredAt]),
      [
        ['new', null],
        ['old', CREATED + 2],
      ],
    );
  });

  it('refuses a sealed key moved to another row, or opened with another store key', async () => {
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, keyMaterial('a'));
    await assert.rejects(
      loadEncryptionKeyMaterial(fixture.store.db, createStoreKeyRing(randomBytes(32))),
      (error: unknown) => isAppError(error, 'STORE_KEY_UNAVAILABLE'),
    );
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, keyMaterial('b', CREATED + 1));
    const [a] = await listEncryptionKeys(fixture.store.db, { includeRetired: true }).then((rows) =>
      rows.filter((row) => row.certificate_id === 'a'),
    );
    await fixture.store.db
      .updateTable('encryption_keys')
      .set({ private_key_sealed: a!.private_key_sealed })
      .where('certificate_id', '=', 'b')
      .execute();
    await assert.rejects(loadEncryptionKeyMaterial(fixture.store.db, storeKey), isSecretBoxFailed);
  });

  it('refuses a second key with the same certificate id', async () => {
    await storeEncryptionKeyMaterial(fixture.store.db, storeKey, keyMaterial('same'));
    await assert.rejects(
      storeEncryptionKeyMaterial(fixture.store.db, storeKey, keyMaterial('same')),
      (error: unknown) => isAppError(error, 'STORE_UNAVAILABLE'),
    );
  });
});
