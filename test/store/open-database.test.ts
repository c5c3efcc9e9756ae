import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { isAppError } from '../../src/errors/app-error';
import { createLogger, silentLogger } from '../../src/logging/logger';
import { appendBatch, countByStatus } from '../../src/store/inbox-queue';
import { openDatabase } from '../../src/store/open-database';
import { forEachEngine } from '../helpers/for-each-engine';
import { createTestDatabase } from '../helpers/postgres-server';
import { inboxBatch } from './inbox-fixtures';

const isStoreUnavailable = (error: unknown) => isAppError(error, 'STORE_UNAVAILABLE');

forEachEngine('openDatabase', (fixture) => {
  it('reports its engine and migrates once, however often it is opened', async () => {
    assert.equal(fixture.store.engine, fixture.engine);
    await appendBatch(fixture.store.db, inboxBatch(['kept']));
    const again = await fixture.open();
    const third = await fixture.open();
    assert.equal((await countByStatus(third.db)).pending, 1);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(
      again.db,
    );
    assert.deepEqual(
      migrations.rows.map((row) => row.name),
      [
        '0001-inbox-and-keys',
        '0002-watches-and-subscriptions',
        '0003-channel-accounts',
        '0004-conversations-and-alerts',
        '0005-privacy',
        '0006-presence-sequence',
        '0007-bot-state',
        '0008-presence-change-order',
        '0009-watch-baseline',
        '0010-msal-token-cache',
        '0011-watch-target-name',
      ],
    );
  });

  it('returns epoch milliseconds beyond 32 bits as numbers', async () => {
    const receivedAt = 4_102_444_800_123;
    await appendBatch(fixture.store.db, inboxBatch(['late'], receivedAt));
    const row = await fixture.store.db
      .selectFrom('notification_inbox')
      .select(['received_at', 'id'])
      .executeTakeFirstOrThrow();
    assert.equal(row.received_at, receivedAt);
    assert.equal(typeof row.id, 'number');
  });
});

describe('openDatabase on SQLite', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pw-open-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates the folder and turns on WAL, a busy timeout and foreign keys', async () => {
    const file = path.join(root, 'a', 'b', 'store.sqlite');
    const store = await openDatabase({ kind: 'sqlite', file }, silentLogger());
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.ok(Number(await pragma('busy_timeout')) >= 1000);
    } finally {
      await store.close();
    }
  });

  it('creates its folders 0700 and the database, WAL and shared-memory files 0600', async () => {
    const previousUmask = process.umask(0o022);
    const dir = path.join(root, 'data', 'nested');
    const file = path.join(dir, 'store.sqlite');
    const store = await openDatabase({ kind: 'sqlite', file }, silentLogger());
    try {
      await appendBatch(store.db, inboxBatch(['written']));
      for (const folder of [path.join(root, 'data'), dir]) {
        assert.equal((await stat(folder)).mode & 0o777, 0o700, folder);
      }
      for (const suffix of ['', '-wal', '-shm']) {
        assert.equal((await stat(file + suffix)).mode & 0o777, 0o600, `store.sqlite${suffix}`);
      }
    } finally {
      process.umask(previousUmask);
      await store.close();
    }
  });

  it('tightens a world-readable database left by an earlier version to 0600', async () => {
    const file = path.join(root, 'store.sqlite');
    const first = await openDatabase({ kind: 'sqlite', file }, silentLogger());
    await appendBatch(first.db, inboxBatch(['kept']));
    await first.close();
    await chmod(file, 0o644);
    const store = await openDatabase({ kind: 'sqlite', file }, silentLogger());
    try {
      assert.equal((await countByStatus(store.db)).pending, 1);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal((await stat(`${file}-wal`)).mode & 0o777, 0o600);
    } finally {
      await store.close();
    }
  });

  it('fails with STORE_UNAVAILABLE when the file cannot be created', async () => {
    const blocker = path.join(root, 'not-a-folder');
    await writeFile(blocker, 'x');
    const file = path.join(blocker, 'store.sqlite');
    await assert.rejects(
      openDatabase({ kind: 'sqlite', file }, silentLogger()),
      isStoreUnavailable,
    );
  });
});

describe('openDatabase on PostgreSQL', () => {
  it('migrates an empty database once when two instances open it at the same time', async () => {
    const database = await createTestDatabase();
    const config = { kind: 'postgres', url: database.url } as const;
    try {
      const stores = await Promise.all([1, 2].map(() => openDatabase(config, silentLogger())));
      await Promise.all(stores.map((store) => store.close()));
      const store = await openDatabase(config, silentLogger());
      const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(
        store.db,
      );
      await store.close();
      assert.deepEqual(
        rows.map((row) => row.name),
        [
          '0001-inbox-and-keys',
          '0002-watches-and-subscriptions',
          '0003-channel-accounts',
          '0004-conversations-and-alerts',
          '0005-privacy',
          '0006-presence-sequence',
          '0007-bot-state',
          '0008-presence-change-order',
          '0009-watch-baseline',
          '0010-msal-token-cache',
          '0011-watch-target-name',
        ],
      );
    } finally {
      await database.drop();
    }
  });

  it('survives the server dropping an idle pooled connection', async () => {
    const database = await createTestDatabase();
    let reportFailure: (line: string) => void = () => {};
    const failureLogged = new Promise<string>((resolve) => (reportFailure = resolve));
    const logger = createLogger({
      level: 'warn',
      format: 'json',
      destination: { write: (line: string) => reportFailure(line) },
    });
    const store = await openDatabase({ kind: 'postgres', url: database.url }, logger);
    try {
      await sql`select 1`.execute(store.db);
      await database.drop();
      assert.match(await failureLogged, /idle PostgreSQL connection failed/);
      await assert.rejects(countByStatus(store.db), isStoreUnavailable);
    } finally {
      await store.close();
    }
  });

  it('fails with STORE_UNAVAILABLE when the server cannot be reached', async () => {
    const port = await closedPort();
    const url = `postgres://postgres@127.0.0.1:${port}/nothing`;
    await assert.rejects(
      openDatabase({ kind: 'postgres', url }, silentLogger()),
      isStoreUnavailable,
    );
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}
