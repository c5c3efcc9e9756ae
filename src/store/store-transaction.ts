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

/** A PostgreSQL advisory lock: a key, or a key and a scope (such as a tenant) locked apart from the others. */
export type SerialLock = number | { readonly key: number; readonly scope: string };

/**
 * Runs `fn` in a transaction that no other one taking the same lock overlaps: on PostgreSQL it
 * takes a transaction-scoped advisory lock first (a scope is hashed into the lock's second key, so
 * two scopes rarely wait for each other); on SQLite every transaction already holds the database
 * write lock (see sqlite-dialect.ts).
 */
export async function inSerialTransaction<T>(
  store: Store,
  lock: SerialLock,
  fn: (trx: Transaction<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  return inTransaction(store.db, async (trx) => {
    if (store.engine === 'postgres') await takeAdvisoryLock(trx, lock);
    return fn(trx);
  });
}

async function takeAdvisoryLock(trx: Transaction<DatabaseSchema>, lock: SerialLock): Promise<void> {
  if (typeof lock === 'number') await sql`select pg_advisory_xact_lock(${lock})`.execute(trx);
  else await sql`select pg_advisory_xact_lock(${lock.key}, hashtext(${lock.scope}))`.execute(trx);
}
