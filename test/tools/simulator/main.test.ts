import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDirectory, type TempDirectory } from '../../helpers/temp-files';
import { MEGAN_ID, TEST_APP_ID } from '../../helpers/tenant-simulator-harness';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'tools', 'simulator', 'main.ts');

interface SimulatorProcess {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

function runMain(args: string[]): SimulatorProcess {
  const child = spawn(
    process.execPath,
    ['--require', 'tsx/cjs', MAIN, '--entra-port', '0', ...args],
    {
      cwd: ROOT,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function printedUrls(sim: SimulatorProcess): Promise<Record<string, string>> {
  const found = (): RegExpExecArray | null => /Admin:\s+(\S+)/.exec(sim.stdout());
  while (!found()) {
    if (sim.child.exitCode !== null) throw new Error(`simulator exited: ${sim.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const url = (label: string): string =>
    new RegExp(`${label}:\\s+(\\S+)`).exec(sim.stdout())?.[1] ?? '';
  return {
    graph: url('Graph'),
    jwks: url('JWKS'),
    tokenApi: url('Token API'),
    signIn: url('Sign-in'),
    entra: url('Entra'),
    admin: url('Admin'),
  };
}

describe('simulator main (npm run sim)', function () {
  this.timeout(30_000);
  let files: TempDirectory;
  let running: SimulatorProcess | undefined;

  before(async () => {
    files = await createTempDirectory();
  });
  afterEach(() => {
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
  });
  after(() => files.remove());

  it('prints its URLs, answers Graph with a token it issued, and stops cleanly on SIGINT', async () => {
    const caFile = await files.write('ca.pem', '');
    running = runMain(['--port', '0', '--manual', '--ca-file', caFile]);
    const urls = await printedUrls(running);
    const base = urls.tokenApi ?? '';
    assert.match(urls.entra ?? '', /^https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+$/);
    const caPem = await readFile(caFile, 'utf8');
    assert.match(caPem, /^-----BEGIN CERTIFICATE-----/);
    assert.equal(await (await fetch(`${base}/_sim/identity/ca.pem`)).text(), caPem);
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(urls.graph, `${base}/v1.0`);
    assert.equal(urls.jwks, `${base}/common/discovery/v2.0/keys`);
    assert.equal(urls.signIn, `${base}/signin`);

    const issued = await fetch(`${base}/_sim/identity/users/${MEGAN_ID}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: TEST_APP_ID }),
    });
    const { accessToken } = (await issued.json()) as { accessToken: string };
    const users = await fetch(`${urls.graph}/users?$top=3`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    assert.equal(users.status, 200);
    assert.equal(((await users.json()) as { value: unknown[] }).value.length, 3);
    const info = (await (await fetch(urls.admin ?? '')).json()) as { graphBaseUrl: string };
    assert.equal(info.graphBaseUrl, urls.graph);

    running.child.kill('SIGINT');
    assert.deepEqual(await running.exited, [0, null]);
    await assert.rejects(fetch(`${base}/_sim/info`));
  });

  it('stops on SIGTERM too', async () => {
    running = runMain(['--port', '0', '--manual']);
    await printedUrls(running);
    running.child.kill('SIGTERM');
    assert.deepEqual(await running.exited, [0, null]);
  });

  it('exits 1 with the reason and the usage for a bad seed file', async () => {
    const seed = await files.write('bad.json', JSON.stringify({ users: [] }));
    running = runMain(['--port', '0', '--seed', seed]);
    assert.deepEqual(await running.exited, [1, null]);
    assert.match(running.stderr(), /seed file .*bad\.json: invalid seed file/);
    assert.match(running.stderr(), /Usage: npm run sim/);
  });
});
