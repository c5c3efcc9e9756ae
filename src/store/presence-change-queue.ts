import type { Kysely } from 'kysely';
import type { DatabaseSchema, Store, StoreExecutor } from './database-schema';
import { presenceChangeOf, type PresenceChange } from './presence-changes';
import { storeOperation } from './store-failure';
import { inSerialTransaction } from './store-transaction';
import {
  leaseFor,
  leaseIsFree,
  NOTHING_SETTLED,
  RELEASED,
  settlementOf,
  type ClaimOptions,
  type LeaseHolder,
  type LeaseSettlement,
} from './work-queue';

/** The PostgreSQL advisory lock that serialises presence-change claims across instances. */
const CLAIM_LOCK_KEY = 0x70770002;

/**
 * Leases up to `limit` unconsumed changes whose lease is empty or expired, in the order they
 * happened, skipping a person while an earlier change of theirs is leased and unconsumed: one
 * person's changes are fanned out in order even by several instances. On PostgreSQL claims are
 * serialised by a transaction-scoped advisory lock, so each claim sees the others' leases.
 */
export async function claimPresenceChanges(
  store: Store,
  options: ClaimOptions,
): Promise<PresenceChange[]> {
  if (options.limit <= 0) return [];
  return storeOperation('claim presence changes', () =>
    inSerialTransaction(store, CLAIM_LOCK_KEY, async (executor) => {
      const rows = await leaseChanges(executor, options);
      return rows.map(presenceChangeOf).sort((a, b) => a.id - b.id);
    }),
  );
}

async function leaseChanges(executor: Kysely<DatabaseSchema>, options: ClaimOptions) {
  const candidates = executor
    .selectFrom('presence_changes')
    .select('id')
    .where('consumed_at', 'is', null)
    .where(leaseIsFree(options.now))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('presence_changes as earlier')
            .select('earlier.id')
            .whereRef('earlier.tenant_id', '=', 'presence_changes.tenant_id')
            .whereRef('earlier.user_id', '=', 'presence_changes.user_id')
            .whereRef('earlier.id', '<', 'presence_changes.id')
            .where('earlier.consumed_at', 'is', null)
            .where('earlier.lease_until', '>', options.now),
        ),
      ),
    )
    .orderBy('id')
    .limit(options.limit);
  return executor
    .updateTable('presence_changes')
    .set(leaseFor(options))
    .where('id', 'in', candidates)
    .returningAll()
    .execute();
}

/**
 * Marks the changes `holder` still leases consumed (pass the transaction that queues their alerts,
 * and queue alerts only for the `held` ones); they are never claimed again.
 */
export async function markPresenceChangesConsumed(
  executor: StoreExecutor,
  holder: LeaseHolder,
  ids: readonly number[],
): Promise<LeaseSettlement> {
  if (ids.length === 0) return NOTHING_SETTLED;
  const rows = await storeOperation('mark presence changes consumed', () =>
    executor
      .updateTable('presence_changes')
      .set({ ...RELEASED, consumed_at: holder.now })
      .where('id', 'in', [...ids])
      .where('lease_owner', '=', holder.owner)
      .returning('id')
      .execute(),
  );
  return settlementOf(ids, rows);
}
