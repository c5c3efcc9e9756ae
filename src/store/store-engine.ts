import { sql, type Kysely } from 'kysely';
import type { StoreEngine } from './database-schema';

const engines = new WeakMap<object, StoreEngine>();

/** Tells which engine an executor (a Kysely instance or a transaction) talks to, from how it compiles a parameter. */
export function engineOf<DB>(db: Kysely<DB>): StoreEngine {
  const known = engines.get(db);
  if (known) return known;
  const engine: StoreEngine = sql`select ${0}`.compile(db).sql.includes('$1')
    ? 'postgres'
    : 'sqlite';
  engines.set(db, engine);
  return engine;
}
