import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseConfig } from '../../src/config/config';
import { silentLogger } from '../../src/logging/logger';
import type { StoreEngine } from '../../src/store/database-schema';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { createTestDatabase } from './postgres-server';

/** What a storage test sees: a fresh, migrated database of one engine for each test. */
export interface EngineFixture {
  readonly engine: StoreEngine;
  /** The store opened on this test's database. */
  readonly store: StoreDatabase;
  /** This test's database config (the SQLite file or the PostgreSQL URL). */
  readonly config: DatabaseConfig;
  /** Opens another store on the same database (another pool/connection), closed after the test. */
  open(): Promise<StoreDatabase>;
}

const ENGINES: readonly StoreEngine[] = ['sqlite', 'postgres'];

let migratedTemplate: Promise<string> | undefined;

/** A PostgreSQL database migrated once per run, copied for each test instead of migrating again. */
function migratedTemplateName(): Promise<string> {
  migratedTemplate ??= (async () => {
    const database = await createTestDatabase();
    const store = await openDatabase({ kind: 'postgres', url: database.url }, silentLogger());
    await store.close();
    return database.name;
  })();
  return migratedTemplate;
}

/** Runs the same describe block against SQLite (a temp file) and PostgreSQL, a fresh database per test. */
export function forEachEngine(title: string, fn: (fixture: EngineFixture) => void): void {
  for (const engine of ENGINES) {
    describe(`${title} [${engine}]`, function () {
      const fixture = new TestEngineFixture(engine);
      beforeEach(async function () {
        this.timeout(60_000);
        await fixture.setUp();
      });
      afterEach(async function () {
        this.timeout(30_000);
        await fixture.tearDown();
      });
      fn(fixture);
    });
  }
}

class TestEngineFixture implements EngineFixture {
  private current: { config: DatabaseConfig; store: StoreDatabase } | undefined;
  private opened: StoreDatabase[] = [];
  private dispose: (() => Promise<void>) | undefined;

  constructor(readonly engine: StoreEngine) {}

  get store(): StoreDatabase {
    return this.active().store;
  }

  get config(): DatabaseConfig {
    return this.active().config;
  }

  async open(): Promise<StoreDatabase> {
    const store = await openDatabase(this.config, silentLogger());
    this.opened.push(store);
    return store;
  }

  async setUp(): Promise<void> {
    const config = await this.createDatabase();
    const store = await openDatabase(config, silentLogger());
    this.opened.push(store);
    this.current = { config, store };
  }

  async tearDown(): Promise<void> {
    const opened = this.opened;
    this.opened = [];
    this.current = undefined;
    await Promise.all(opened.map((store) => store.close()));
    await this.dispose?.();
    this.dispose = undefined;
  }

  private active(): { config: DatabaseConfig; store: StoreDatabase } {
    if (!this.current) throw new Error('the engine fixture is only available inside a test');
    return this.current;
  }

  private async createDatabase(): Promise<DatabaseConfig> {
    if (this.engine === 'postgres') {
      const database = await createTestDatabase({ template: await migratedTemplateName() });
      this.dispose = database.drop;
      return { kind: 'postgres', url: database.url };
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-sqlite-'));
    this.dispose = () => rm(dir, { recursive: true, force: true });
    return { kind: 'sqlite', file: path.join(dir, 'store.sqlite') };
  }
}
