import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../../src/app/start-app';
import { loadConfig } from '../../src/config/config';
import { isAppError } from '../../src/errors/app-error';
import { silentLogger } from '../../src/logging/logger';

describe('store key rotation at start-up', function () {
  this.timeout(30_000);
  let dataDir: string;
  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('base64');

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pw-rotation-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ...env });
    return startApp(config, silentLogger());
  };

  it('starts with a new key when the old one is given as previous, and re-seals so the old one can go', async () => {
    await (await start({ STORE_ENCRYPTION_KEY: keyA })).stop();
    const rotated = await start({
      STORE_ENCRYPTION_KEY: keyB,
      STORE_ENCRYPTION_PREVIOUS_KEYS: keyA,
    });
    await rotated.stop();
    const withoutOldKey = await start({ STORE_ENCRYPTION_KEY: keyB });
    await withoutOldKey.stop();
  });

  it('refuses to start with a clear coded error when the old key is missing', async () => {
    await (await start({ STORE_ENCRYPTION_KEY: keyA })).stop();
    await (
      await start({ STORE_ENCRYPTION_KEY: keyB, STORE_ENCRYPTION_PREVIOUS_KEYS: keyA })
    ).stop();
    await assert.rejects(
      start({ STORE_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
      (error) => isAppError(error, 'STORE_KEY_UNAVAILABLE'),
    );
  });
});
