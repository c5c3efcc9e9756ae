import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decryptionVector } from '../helpers/decryption-vector';
import { APP_ID, newIssuer } from '../helpers/validation-token-test-kit';

const TENANT = '79852646-8963-4d32-95f1-e0c5237d37fa';
const CLIENT_STATE = 'secret-client-state-for-the-vector';
const NOW = '2026-11-24T10:00:00Z';

interface CliRun {
  code: number;
  json:
    | { ok: boolean; items?: Record<string, unknown>[]; error?: { code: string; message: string } }
    | undefined;
  stderr: string;
}

function runCli(args: string[]): Promise<CliRun> {
  const cli = path.resolve(__dirname, '../../src/cli.ts');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', 'tsx/cjs', cli, ...args], (error, stdout, stderr) => {
      const code = error ? Number(error.code ?? 1) : 0;
      resolve({ code, json: stdout.trim() ? JSON.parse(stdout) : undefined, stderr });
    });
  });
}

describe('presence-watch verify-notification', function () {
  this.timeout(60_000);
  let dir: string;
  let files: { body: string; key: string; jwks: string; tampered: string; lifecycle: string };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pw-cli-'));
    const issuer = await newIssuer();
    const token = await issuer.issue({ tenantId: TENANT, audience: APP_ID, now: new Date(NOW) });
    const item = {
      subscriptionId: '10493aa0-4d29-4df5-bc0c-ef742cc6cd7f',
      changeType: 'created',
      clientState: CLIENT_STATE,
      tenantId: TENANT,
      resource: "teams('79852646-8963-4d32-95f1-e0c5237d37fa')/channels/messages",
      encryptedContent: decryptionVector.encryptedContent,
    };
    const tamperedContent = {
      ...item.encryptedContent,
      dataSignature: `A${item.encryptedContent.dataSignature.slice(1)}`,
    };
    files = {
      body: path.join(dir, 'body.json'),
      key: path.join(dir, 'key.pem'),
      jwks: path.join(dir, 'jwks.json'),
      tampered: path.join(dir, 'tampered.json'),
      lifecycle: path.join(dir, 'lifecycle.json'),
    };
    await writeFile(files.body, JSON.stringify({ value: [item], validationTokens: [token] }));
    await writeFile(
      files.tampered,
      JSON.stringify({
        value: [{ ...item, encryptedContent: tamperedContent }],
        validationTokens: [token],
      }),
    );
    await writeFile(
      files.lifecycle,
      JSON.stringify({
        value: [
          {
            subscriptionId: item.subscriptionId,
            clientState: CLIENT_STATE,
            tenantId: TENANT,
            lifecycleEvent: 'reauthorizationRequired',
            subscriptionExpirationDateTime: '2026-11-24T11:00:00.0000000Z',
          },
        ],
      }),
    );
    await writeFile(files.key, decryptionVector.privateKeyPem);
    await writeFile(files.jwks, JSON.stringify(issuer.jwks()));
  });

  after(() => rm(dir, { recursive: true, force: true }));

  const common = (): string[] => ['--app-id', APP_ID, '--jwks', files.jwks, '--now', NOW];

  it('decrypts the real Microsoft vector to its exact plaintext', async () => {
    const run = await runCli([
      'verify-notification',
      files.body,
      '--key',
      files.key,
      '--client-state',
      CLIENT_STATE,
      ...common(),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json?.ok, true);
    const [item] = run.json?.items ?? [];
    assert.deepEqual(item?.resourceData, JSON.parse(decryptionVector.expectedPlaintext));
    assert.equal(item?.tenantId, TENANT);
    assert.equal(item?.changeType, 'created');
    assert.equal(item?.lifecycleEvent, null);
  });

  it('picks a key by certificate id', async () => {
    const run = await runCli([
      'verify-notification',
      files.body,
      '--key',
      `custom-id-for-testing=${files.key}`,
      ...common(),
    ]);
    assert.equal(run.code, 0, run.stderr);
  });

  it('fails with the opaque decryption error when one field is tampered with', async () => {
    const run = await runCli([
      'verify-notification',
      files.tampered,
      '--key',
      files.key,
      ...common(),
    ]);
    assert.equal(run.code, 1);
    assert.deepEqual(run.json?.error?.code, 'DECRYPTION_FAILED');
    assert.ok(
      !run.json?.error?.message.includes('signature'),
      'the error says nothing about what failed',
    );
  });

  it('fails when the key is only for another certificate id', async () => {
    const run = await runCli([
      'verify-notification',
      files.body,
      '--key',
      `other-id=${files.key}`,
      ...common(),
    ]);
    assert.equal(run.code, 1);
    assert.equal(run.json?.error?.code, 'DECRYPTION_FAILED');
  });

  it('verifies a lifecycle notification without --key', async () => {
    const run = await runCli([
      'verify-notification',
      files.lifecycle,
      '--client-state',
      CLIENT_STATE,
      ...common(),
    ]);
    assert.equal(run.code, 0, run.stderr);
    const [item] = run.json?.items ?? [];
    assert.equal(item?.lifecycleEvent, 'reauthorizationRequired');
    assert.equal(item?.resourceData, null);
  });

  it('fails with the opaque decryption error when encrypted content comes without --key', async () => {
    const run = await runCli(['verify-notification', files.body, ...common()]);
    assert.equal(run.code, 1);
    assert.deepEqual(run.json?.error, {
      code: 'DECRYPTION_FAILED',
      message: 'The encrypted content could not be verified or decrypted',
    });
  });

  it('fails on a wrong clientState, a wrong audience and a token judged after it expired', async () => {
    const wrongState = await runCli([
      'verify-notification',
      files.body,
      '--key',
      files.key,
      '--client-state',
      'nope',
      ...common(),
    ]);
    assert.equal(wrongState.json?.error?.code, 'CLIENT_STATE_MISMATCH');
    const wrongAudience = await runCli([
      'verify-notification',
      files.body,
      '--key',
      files.key,
      '--app-id',
      'someone-else',
      '--jwks',
      files.jwks,
      '--now',
      NOW,
    ]);
    assert.equal(wrongAudience.json?.error?.code, 'VALIDATION_TOKEN_INVALID');
    const late = await runCli([
      'verify-notification',
      files.body,
      '--key',
      files.key,
      '--app-id',
      APP_ID,
      '--jwks',
      files.jwks,
      '--now',
      '2026-11-26T10:00:00Z',
    ]);
    assert.equal(late.code, 1);
    assert.equal(late.json?.error?.code, 'VALIDATION_TOKEN_INVALID');
  });

  it('exits 2 with usage on bad arguments', async () => {
    const noBody = await runCli(['verify-notification', '--key', files.key]);
    assert.equal(noBody.code, 2);
    assert.match(noBody.stderr, /usage: presence-watch verify-notification/);
    const badNow = await runCli([
      'verify-notification',
      files.body,
      '--key',
      files.key,
      '--now',
      'yesterday',
    ]);
    assert.equal(badNow.code, 2);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
  });
});
