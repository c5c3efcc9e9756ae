import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../../src/local/wait-until-ready';
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

/** Starts a private PostgreSQL server under os.tmpdir() on a free loopback port. */
export async function startThrowawayPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-pg-'));
  const dataDir = path.join(dir, 'data');
  if (runningAsRoot()) chownSync(dir, postgresUid(), postgresGid());
  const port = await freePort();
  await run(
    ...asServerUser(path.join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
    ]),
  );
  const pgCtl = path.join(bin, 'pg_ctl');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${TEST_SETTINGS}`;
  await run(
    ...asServerUser(pgCtl, [
      '-D',
      dataDir,
      '-o',
      options,
      '-l',
      path.join(dir, 'log'),
      '-w',
      'start',
    ]),
  );
  const stopNow = () => {
    spawnSync(...asServerUser(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener('exit', stopNow);
      await run(...asServerUser(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBinDir(): string {
  const versions = existsSync(POSTGRES_ROOT) ? readdirSync(POSTGRES_ROOT) : [];
  const found = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(POSTGRES_ROOT, version, 'bin'))
    .find((bin) => existsSync(path.join(bin, 'initdb')));
  if (!found) {
    throw new Error(`no PostgreSQL binaries in ${POSTGRES_ROOT}/*/bin and PG_TEST_URL is not set`);
  }
  return found;
}

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
}

function postgresGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
}

function asServerUser(command: string, args: string[]): [string, string[]] {
  return runningAsRoot()
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];
}
