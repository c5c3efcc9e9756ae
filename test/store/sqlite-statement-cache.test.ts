import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import sinon from 'sinon';
import { StoreSqliteDialect } from '../../src/store/sqlite-dialect';
import { withStatementCache } from '../../src/store/sqlite-statement-cache';

interface Things {
  things: { id: number; name: string };
}

describe('the SQLite statement cache', () => {
  let database: BetterSqlite3.Database;
  let prepare: sinon.SinonSpy<[string], BetterSqlite3.Statement>;

  function kyselyOver(capacity?: number): Kysely<Things> {
    const cached = withStatementCache(database, capacity);
    return new Kysely<Things>({ dialect: new StoreSqliteDialect({ database: cached }) });
  }

  beforeEach(() => {
    database = new BetterSqlite3(':memory:');
    database.exec(
      "create table things (id integer primary key, name text); insert into things values (1, 'a'), (2, 'b')",
    );
    prepare = sinon.spy(database, 'prepare');
  });

  afterEach(() => {
    database.close();
  });

  it('prepares a query once however often it runs, with each run’s own parameters', async () => {
    const db = kyselyOver();
    const names = [];
    for (const id of [1, 2, 1]) {
      const row = await db
        .selectFrom('things')
        .select('name')
        .where('id', '=', id)
        .executeTakeFirst();
      names.push(row?.name);
    }
    assert.deepEqual(names, ['a', 'b', 'a']);
    assert.equal(prepare.callCount, 1);
  });

  it('sees a schema change in a statement prepared before it', async () => {
    const db = kyselyOver();
    const everything = () => db.selectFrom('things').selectAll().where('id', '=', 1).execute();
    await everything();
    await sql`alter table things add column colour text default 'red'`.execute(db);
    assert.deepEqual(await everything(), [{ id: 1, name: 'a', colour: 'red' }]);
  });

  it('hands out a second statement for a query whose first one is still being iterated', () => {
    const cached = withStatementCache(database);
    const text = 'select id from things order by id';
    const pairs = [];
    for (const outer of cached.prepare(text).iterate([]) as Iterable<{ id: number }>) {
      pairs.push([outer.id, cached.prepare(text).all([]).length]);
    }
    assert.deepEqual(pairs, [
      [1, 2],
      [2, 2],
    ]);
    assert.equal(prepare.callCount, 2);
  });

  it('prepares again a query dropped as the least recently used', async () => {
    const db = kyselyOver(2);
    const byId = (id: number) =>
      db.selectFrom('things').select('name').where('id', '=', id).execute();
    const byName = (name: string) =>
      db.selectFrom('things').select('id').where('name', '=', name).execute();
    const count = () =>
      db
        .selectFrom('things')
        .select((e) => e.fn.countAll().as('n'))
        .execute();
    await byId(1);
    await byName('a');
    await byId(2);
    await count();
    assert.equal(prepare.callCount, 3);
    await byName('b');
    assert.equal(prepare.callCount, 4);
  });
});
