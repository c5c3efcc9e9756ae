import { sql, type Transaction } from 'kysely';
import type { DatabaseSchema, Store, StoreExecutor } from './database-schema';

/** Runs `fn` in a transaction, or inside the caller's transaction when `db` already is one. */
export async function inTransaction<T>(
  db: StoreExecutor,
  fn: (trx: Transaction<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DatabaseSchema>);
  return db.transaction().execute(fn);
}

/**
 * Runs `fn` in a transaction that no other one taking the same `lockKey` overlaps: on PostgreSQL it
 * takes a transaction-scoped advisory lock first; on SQLite every transaction already holds the
 * database write lock (see sqlite-dialect.ts).
 */
export async function inSerialTransaction<T>(
  store: Store,
  lockKey: number,
  fn: (trx: Transaction<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  return inTransaction(store.db, async (trx) => {
    if (store.engine === 'postgres')
      await sql`select pg_advisory_xact_lock(${lockKey})`.execute(trx);
    return fn(trx);
  });
}
