import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isAppError } from '../../src/errors/app-error';
import { loadOrCreateLocalStoreKey } from '../../src/store/local-store-key';

describe('local store key', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pw-key-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates a 32-byte key readable only by its owner, in a folder it creates', async () => {
    const dataDir = path.join(root, 'nested', 'data');
    const key = await loadOrCreateLocalStoreKey(dataDir);
    assert.equal(key.length, 32);
    const file = path.join(dataDir, 'store.key');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    for (const folder of [path.join(root, 'nested'), dataDir]) {
      assert.equal((await stat(folder)).mode & 0o777, 0o700, folder);
    }
    assert.deepEqual(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'), key);
  });

  it('returns the same key after a restart and to concurrent callers', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateLocalStoreKey(root)));
    const again = await loadOrCreateLocalStoreKey(root);
    for (const key of keys) assert.deepEqual(key, again);
  });

  it('tightens the mode of an existing key file', async () => {
    const key = await loadOrCreateLocalStoreKey(root);
    const file = path.join(root, 'store.key');
    await chmod(file, 0o644);
    assert.deepEqual(await loadOrCreateLocalStoreKey(root), key);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('refuses a key file that does not hold 32 bytes', async () => {
    await writeFile(path.join(root, 'store.key'), 'c2hvcnQ=\n');
    await assert.rejects(loadOrCreateLocalStoreKey(root), (error: unknown) =>
      isAppError(error, 'STORE_UNAVAILABLE'),
    );
  });
});
