import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseEnvText } from '../../tools/packaging/env-file';

const run = promisify(execFile);
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'provision-secrets.mjs');
const GENERATED = [
  'RESOURCE_SUFFIX',
  'SECRET_POSTGRES_ADMIN_PASSWORD',
  'SECRET_STORE_ENCRYPTION_KEY',
];

/** A fresh clone as the toolkit sees it: the script, env/.env.dev and env/.env.dev.user, no node_modules. */
interface FreshClone {
  readonly dir: string;
  /** Runs the step as the toolkit's `script` action does and applies its `::set-teamsfx-env` lines. */
  provision(stepEnv?: Record<string, string>): Promise<Record<string, string>>;
  readEnv(): Promise<{ shared: Record<string, string>; user: Record<string, string> }>;
}

async function freshClone(envText: string, userText = ''): Promise<FreshClone> {
  const dir = await mkdtemp(path.join(tmpdir(), 'presence-watch-clone-'));
  await mkdir(path.join(dir, 'scripts'));
  await mkdir(path.join(dir, 'env'));
  await copyFile(SCRIPT, path.join(dir, 'scripts', 'provision-secrets.mjs'));
  await writeFile(path.join(dir, 'env', '.env.dev'), envText);
  await writeFile(path.join(dir, 'env', '.env.dev.user'), userText);
  const readEnv = async (): Promise<{
    shared: Record<string, string>;
    user: Record<string, string>;
  }> => ({
    shared: { ...parseEnvText(await readFile(path.join(dir, 'env', '.env.dev'), 'utf8')) },
    user: { ...parseEnvText(await readFile(path.join(dir, 'env', '.env.dev.user'), 'utf8')) },
  });
  return {
    dir,
    readEnv,
    async provision(stepEnv = {}) {
      const { shared, user } = await readEnv();
      const { stdout } = await run(process.execPath, ['scripts/provision-secrets.mjs'], {
        cwd: dir,
        env: { PATH: process.env.PATH, ...shared, ...user, ...stepEnv },
      });
      const written = setCommands(stdout);
      for (const [name, value] of Object.entries(written)) {
        const file = path.join(
          dir,
          'env',
          name.startsWith('SECRET_') ? '.env.dev.user' : '.env.dev',
        );
        const kept = (await readFile(file, 'utf8'))
          .split('\n')
          .filter((line) => !line.startsWith(`${name}=`));
        await writeFile(file, [...kept, `${name}=${JSON.stringify(value)}`].join('\n'));
      }
      return written;
    },
  };
}

function setCommands(stdout: string): Record<string, string> {
  const lines = stdout.split('\n').filter((line) => line !== '');
  return Object.fromEntries(
    lines.map((line) => {
      const match = /^::set-teamsfx-env ([A-Z_]+)=(?:"([^"]*)"|([^"'\s]+))$/.exec(line);
      assert.ok(match, `not a set-teamsfx-env line: ${line}`);
      return [match[1], match[2] ?? match[3]];
    }),
  );
}

describe('scripts/provision-secrets.mjs', () => {
  const clones: FreshClone[] = [];
  const clone = async (envText: string, userText?: string): Promise<FreshClone> => {
    const made = await freshClone(envText, userText);
    clones.push(made);
    return made;
  };
  after(async () => {
    await Promise.all(clones.map((made) => rm(made.dir, { recursive: true, force: true })));
  });

  it('runs on a fresh clone without node_modules and writes every missing value', async () => {
    const env = await clone('TEAMSFX_ENV=dev\nRESOURCE_SUFFIX=\nUSE_POSTGRES=true\n');
    assert.ok(!existsSync(path.join(env.dir, 'node_modules')));
    const written = await env.provision();
    assert.deepEqual(Object.keys(written).sort(), GENERATED);
    const { shared, user } = await env.readEnv();
    assert.equal(Buffer.from(user.SECRET_STORE_ENCRYPTION_KEY ?? '', 'base64').length, 32);
    assert.match(shared.RESOURCE_SUFFIX ?? '', /^[0-9a-f]{6}$/);
    const password = user.SECRET_POSTGRES_ADMIN_PASSWORD ?? '';
    assert.match(password, /[A-Z]/);
    assert.match(password, /[a-z]/);
    assert.match(password, /[0-9]/);
    assert.equal(encodeURIComponent(password), password);
  });

  it('leaves the scope id to the toolkit (aadApp/update generates it)', async () => {
    const env = await clone('TEAMSFX_ENV=dev\nAAD_APP_ACCESS_AS_USER_PERMISSION_ID=\n');
    const written = await env.provision();
    assert.ok(!('AAD_APP_ACCESS_AS_USER_PERMISSION_ID' in written));
  });

  it('never replaces a value a second provision finds', async () => {
    const env = await clone('TEAMSFX_ENV=dev\nRESOURCE_SUFFIX=\n');
    await env.provision();
    const first = await env.readEnv();
    assert.deepEqual(await env.provision(), {});
    assert.deepEqual(await env.readEnv(), first);
  });

  it('keeps a store key restored from a backup and fills in only the rest', async () => {
    const env = await clone(
      'TEAMSFX_ENV=dev\nRESOURCE_SUFFIX=abc123\n',
      'SECRET_STORE_ENCRYPTION_KEY=kept\n',
    );
    const written = await env.provision();
    assert.deepEqual(Object.keys(written), ['SECRET_POSTGRES_ADMIN_PASSWORD']);
    assert.equal((await env.readEnv()).user.SECRET_STORE_ENCRYPTION_KEY, 'kept');
  });

  it('fills in the defaults the step gives for names an untracked env file lacks', async () => {
    const env = await clone('TEAMSFX_ENV=local\nOAUTH_CONNECTION_NAME=kept\n');
    const stepEnv = {
      DEFAULT_OAUTH_CONNECTION_NAME: 'graph',
      DEFAULT_APP_NAME_SUFFIX: '-local',
      DEFAULT_BOT_DISPLAY_NOTE: 'two words',
    };
    const written = await env.provision(stepEnv);
    assert.equal(written.APP_NAME_SUFFIX, '-local');
    assert.equal(written.BOT_DISPLAY_NOTE, 'two words');
    assert.ok(!('OAUTH_CONNECTION_NAME' in written));
    const { shared } = await env.readEnv();
    assert.equal(shared.APP_NAME_SUFFIX, '-local');
    assert.equal(shared.OAUTH_CONNECTION_NAME, 'kept');
    assert.deepEqual(await env.provision(stepEnv), {});
  });

  it('generates a different store key for each environment', async () => {
    const first = await (await clone('TEAMSFX_ENV=dev\n')).provision();
    const second = await (await clone('TEAMSFX_ENV=dev\n')).provision();
    assert.notEqual(first.SECRET_STORE_ENCRYPTION_KEY, second.SECRET_STORE_ENCRYPTION_KEY);
  });
});
