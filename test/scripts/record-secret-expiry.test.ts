import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'record-secret-expiry.mjs');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs the step as the toolkit does (env values in the environment) and returns what it sets. */
async function recordExpiry(env: Record<string, string>): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [SCRIPT], {
    env: { PATH: process.env.PATH, CLIENT_SECRET_EXPIRE_DAYS: '180', ...env },
  });
  return Object.fromEntries(
    [...stdout.matchAll(/^::set-teamsfx-env (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]),
  );
}

describe('scripts/record-secret-expiry.mjs', () => {
  it('dates a new client secret CLIENT_SECRET_EXPIRE_DAYS from now', async () => {
    const before = Date.now();
    const set = await recordExpiry({ SECRET_BOT_PASSWORD: 'first-secret' });
    const expiresAt = Date.parse(set.BOT_PASSWORD_EXPIRES_AT ?? '');
    assert.ok(expiresAt >= before + 180 * DAY_MS && expiresAt <= Date.now() + 180 * DAY_MS);
    assert.match(set.SECRET_BOT_PASSWORD_FINGERPRINT ?? '', /^[0-9a-f]{32}$/);
    assert.ok(!(set.SECRET_BOT_PASSWORD_FINGERPRINT ?? '').includes('first-secret'));
  });

  it('keeps the recorded date while the secret stays the same', async () => {
    const first = await recordExpiry({ SECRET_BOT_PASSWORD: 'first-secret' });
    assert.deepEqual(await recordExpiry({ SECRET_BOT_PASSWORD: 'first-secret', ...first }), {});
  });

  it('dates the secret again after a rotation (a new secret, the old date still recorded)', async () => {
    const first = await recordExpiry({ SECRET_BOT_PASSWORD: 'first-secret' });
    const rotated = await recordExpiry({ SECRET_BOT_PASSWORD: 'second-secret', ...first });
    assert.ok(rotated.BOT_PASSWORD_EXPIRES_AT);
    assert.notEqual(rotated.SECRET_BOT_PASSWORD_FINGERPRINT, first.SECRET_BOT_PASSWORD_FINGERPRINT);
  });

  it('does nothing without a secret and refuses a days value that is not a whole number', async () => {
    assert.deepEqual(await recordExpiry({}), {});
    await assert.rejects(recordExpiry({ CLIENT_SECRET_EXPIRE_DAYS: 'six months' }));
  });
});
