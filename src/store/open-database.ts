import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { DatabaseSchema, Store, StoreEngine } from './database-schema';
import { storeMigrationProvider } from './migrations/store-migrations';
import { makePrivateDirectory, preparePrivateSqliteFile } from './private-files';
import { StoreSqliteDialect } from './sqlite-dialect';
import { withStatementCache } from './sqlite-statement-cache';

/** An open store: the Kysely instance, which engine it runs on, and how to close it. */
export interface StoreDatabase extends Store {
  close(): Promise<void>;
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;
const PG_INT8_OID = 20;

/** Opens the configured store and migrates it to the latest schema; failures are STORE_UNAVAILABLE. */
export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<StoreDatabase> {
  const log = logger.child({ module: 'store' });
  const engine: StoreEngine = config.kind;
  const db = new Kysely<DatabaseSchema>({ dialect: dialectOf(config, log) });
  try {
    await migrateToLatest(db, engine, log);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
  log.info({ engine }, 'store open');
  let closing: Promise<void> | undefined;
  return { db, engine, close: () => (closing ??= db.destroy()) };
}

function dialectOf(config: DatabaseConfig, log: Logger): Dialect {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, types: { getTypeParser } });
    pool.on('error', (error) =>
      log.warn({ error: error.message }, 'idle PostgreSQL connection failed'),
    );
    return new PostgresDialect({ pool });
  }
  return new StoreSqliteDialect({
    database: () => Promise.resolve(withStatementCache(openSqliteFile(config.file))),
  });
}

function openSqliteFile(file: string): BetterSqlite3.Database {
  try {
    makePrivateDirectory(path.dirname(file));
    preparePrivateSqliteFile(file);
    const database = new BetterSqlite3(file);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    return database;
  } catch (error) {
    throw new AppError('STORE_UNAVAILABLE', `cannot open SQLite file ${file}`, { cause: error });
  }
}

/** Epoch-millisecond `bigint` columns (and counts) come back as numbers, not strings. */
const getTypeParser: typeof pg.types.getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === PG_INT8_OID && format !== 'binary'
    ? (value: string) => Number(value)
    : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

async function migrateToLatest(
  db: Kysely<DatabaseSchema>,
  engine: StoreEngine,
  log: Logger,
): Promise<void> {
  const migrator = new Migrator({ db, provider: storeMigrationProvider(engine) });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    log.info({ migration: result.migrationName, status: result.status }, 'store migration');
  }
  if (error === undefined) return;
  if (error instanceof AppError) throw error;
  throw new AppError('STORE_UNAVAILABLE', `${engine} store could not be migrated`, {
    cause: error,
  });
}
