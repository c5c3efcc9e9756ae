import { sql, type Kysely, type Transaction } from 'kysely';
import type { DatabaseSchema, StoreExecutor } from './database-schema';
import { engineOf } from './store-engine';

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(
  db: StoreExecutor,
  fn: (trx: Transaction<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DatabaseSchema>);
  return db.transaction().execute(fn);
}

/**
 * Runs `fn` in a write transaction: on SQLite it begins with `BEGIN IMMEDIATE` so the write lock is
 * taken up front (no lock upgrade failures between processes); on PostgreSQL it is a plain transaction.
 */
export async function inWriteTransaction<T>(
  db: StoreExecutor,
  fn: (executor: Kysely<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction || engineOf(db) === 'postgres') return inTransaction(db, fn);
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const result = await fn(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}
