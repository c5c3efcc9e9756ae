import { sql, type Expression, type SqlBool } from 'kysely';
import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/** How to claim from a work queue: who claims, how many, for how long, judged at which time. */
export interface ClaimOptions {
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly now: EpochMs;
}

/** Who writes the outcome of leased rows, and when. */
export interface LeaseHolder {
  readonly owner: string;
  readonly now: EpochMs;
}

/**
 * What a lease holder's write did: the rows it still held (and so wrote), and the rows whose lease
 * it had lost to another worker (or that were already finished), which it left untouched.
 */
export interface LeaseSettlement {
  readonly held: readonly number[];
  readonly lost: readonly number[];
}

/** The work queues whose rows are keyed by an `id`. */
type IdQueueTable = 'notification_inbox' | 'presence_changes' | 'alert_outbox';

/** The lease columns of a released row. */
export const RELEASED = { lease_owner: null, lease_until: null } as const;

/** The lease columns of a row claimed with `options`. */
export function leaseFor(options: ClaimOptions): { lease_owner: string; lease_until: EpochMs } {
  return { lease_owner: options.owner, lease_until: options.now + options.leaseMs };
}

/** True where a row's lease (of `table`, or the query's only table) is empty or expired at `now`. */
export function leaseIsFree(now: EpochMs, table?: string): Expression<SqlBool> {
  const until = sql.ref(table === undefined ? 'lease_until' : `${table}.lease_until`);
  return sql<SqlBool>`(${until} is null or ${until} <= ${now})`;
}

/** Splits `ids` into those a write reached (`written`, as returned) and those it did not. */
export function settlementOf(
  ids: readonly number[],
  written: readonly { id: number }[],
): LeaseSettlement {
  const reached = new Set(written.map((row) => row.id));
  return { held: ids.filter((id) => reached.has(id)), lost: ids.filter((id) => !reached.has(id)) };
}

/** The settlement of an empty write. */
export const NOTHING_SETTLED: LeaseSettlement = Object.freeze({ held: [], lost: [] });

/**
 * Gives leased rows back so any worker can claim them again, from `notBefore` on when given;
 * only rows `holder` still leases are touched.
 */
export async function releaseHeld(
  db: StoreExecutor,
  table: IdQueueTable,
  holder: LeaseHolder,
  ids: readonly number[],
  notBefore?: EpochMs,
): Promise<LeaseSettlement> {
  if (ids.length === 0) return NOTHING_SETTLED;
  const rows = await storeOperation(`release ${table} leases`, () =>
    db
      .updateTable(table)
      .set({ lease_owner: null, lease_until: notBefore ?? null })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', holder.owner)
      .returning('id')
      .execute(),
  );
  return settlementOf(ids, rows);
}

/** Extends the leases `holder` still has on `ids` to `leaseMs` from `holder.now`. */
export async function extendHeld(
  db: StoreExecutor,
  table: IdQueueTable,
  holder: LeaseHolder,
  ids: readonly number[],
  leaseMs: number,
): Promise<LeaseSettlement> {
  if (ids.length === 0) return NOTHING_SETTLED;
  const rows = await storeOperation(`extend ${table} leases`, () =>
    db
      .updateTable(table)
      .set({ lease_until: holder.now + leaseMs })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', holder.owner)
      .returning('id')
      .execute(),
  );
  return settlementOf(ids, rows);
}
