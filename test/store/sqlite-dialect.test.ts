import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { silentLogger } from '../../src/logging/logger';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { inTransaction } from '../../src/store/store-transaction';
import { createTempDirectory, type TempDirectory } from '../helpers/temp-files';

describe('the SQLite store', () => {
  let temp: TempDirectory;
  let file: string;
  let store: StoreDatabase;
  let otherProcess: BetterSqlite3.Database;

  beforeEach(async () => {
    temp = await createTempDirectory();
    file = await temp.write('store.sqlite', '');
    store = await openDatabase({ kind: 'sqlite', file }, silentLogger());
    otherProcess = new BetterSqlite3(file, { timeout: 0 });
  });

  afterEach(async () => {
    otherProcess.close();
    await store.close();
    await temp.remove();
  });

  it('takes the write lock when a transaction begins, before it writes anything', async () => {
    await inTransaction(store.db, async (trx) => {
      await trx.selectFrom('watches').select('id').execute();
      assert.throws(() => otherProcess.exec('begin immediate'), { code: 'SQLITE_BUSY' });
    });
    otherProcess.exec('begin immediate');
    otherProcess.exec('rollback');
  });

  it('runs queries that carry PostgreSQL row locks, without them', async () => {
    const query = store.db
      .selectFrom('notification_inbox')
      .select('id')
      .where('status', '=', 'pending')
      .forUpdate()
      .skipLocked();
    assert.doesNotMatch(query.compile().sql, /for update|skip locked/i);
    assert.deepEqual(await query.execute(), []);
  });
});
