import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';

/** One user's MSAL token cache partition, sealed; `version` grows with every write. */
export interface MsalTokenCacheTable {
  partition_key: string;
  cache_sealed: string;
  version: number;
  updated_at: EpochMs;
  lease_owner: string | null;
  lease_until: EpochMs | null;
}

/** The cache partition of a user: `{tenantId}.{userId}`, lower-case. */
export function msalCachePartitionKey(tenantId: string, userId: string): string {
  return `${tenantId}.${userId}`.trim().toLowerCase();
}

/** The context a partition is sealed in, so a sealed cache only opens as its own partition. */
export function msalCacheContext(partitionKey: string): string {
  return `msal_token_cache:${partitionKey}`;
}

/** What claiming a partition found: now ours, held by another operation, or no partition at all. */
export type PartitionClaim = 'claimed' | 'busy' | 'absent';

/** A stored partition as read: the sealed cache and the version it was read at. */
export interface StoredCachePartition {
  readonly sealed: string;
  readonly version: number;
}

/** Reads one cache partition; undefined when the user has none. */
export async function readCachePartition(
  db: StoreExecutor,
  partitionKey: string,
): Promise<StoredCachePartition | undefined> {
  const row = await storeOperation('read MSAL cache partition', () =>
    db
      .selectFrom('msal_token_cache')
      .select(['cache_sealed', 'version'])
      .where('partition_key', '=', partitionKey)
      .executeTakeFirst(),
  );
  return row && { sealed: row.cache_sealed, version: row.version };
}

/**
 * Writes a partition only if it is still at `expectedVersion` (undefined: only if it does not
 * exist yet), bumping the version: a compare-and-swap. False when another writer got there first.
 */
export async function writeCachePartition(
  db: StoreExecutor,
  write: {
    partitionKey: string;
    sealed: string;
    expectedVersion: number | undefined;
    now: EpochMs;
  },
): Promise<boolean> {
  return storeOperation('write MSAL cache partition', async () => {
    if (write.expectedVersion === undefined) {
      const inserted = await db
        .insertInto('msal_token_cache')
        .values({
          partition_key: write.partitionKey,
          cache_sealed: write.sealed,
          version: 1,
          updated_at: write.now,
        })
        .onConflict((conflict) => conflict.column('partition_key').doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    const updated = await db
      .updateTable('msal_token_cache')
      .set({
        cache_sealed: write.sealed,
        version: write.expectedVersion + 1,
        updated_at: write.now,
      })
      .where('partition_key', '=', write.partitionKey)
      .where('version', '=', write.expectedVersion)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) > 0;
  });
}

/** Replaces a partition whatever its version (a new sign-in supersedes what was cached). */
export async function replaceCachePartition(
  db: StoreExecutor,
  write: { partitionKey: string; sealed: string; now: EpochMs },
): Promise<void> {
  await storeOperation('replace MSAL cache partition', () =>
    db
      .insertInto('msal_token_cache')
      .values({
        partition_key: write.partitionKey,
        cache_sealed: write.sealed,
        version: 1,
        updated_at: write.now,
      })
      .onConflict((conflict) =>
        conflict.column('partition_key').doUpdateSet((eb) => ({
          cache_sealed: eb.ref('excluded.cache_sealed'),
          version: eb(eb.ref('msal_token_cache.version'), '+', 1),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute(),
  );
}

/** Deletes a user's cache partition (sign-out, uninstall, revoked consent); true if there was one. */
export async function deleteCachePartition(
  db: StoreExecutor,
  partitionKey: string,
): Promise<boolean> {
  const result = await storeOperation('delete MSAL cache partition', () =>
    db.deleteFrom('msal_token_cache').where('partition_key', '=', partitionKey).executeTakeFirst(),
  );
  return Number(result.numDeletedRows) > 0;
}

/** Takes a partition's lease for `owner` until `now + leaseMs` unless another live lease holds it. */
export async function claimCachePartition(
  db: StoreExecutor,
  claim: { partitionKey: string; owner: string; now: EpochMs; leaseMs: number },
): Promise<PartitionClaim> {
  return storeOperation('claim MSAL cache partition', async () => {
    const updated = await db
      .updateTable('msal_token_cache')
      .set({ lease_owner: claim.owner, lease_until: claim.now + claim.leaseMs })
      .where('partition_key', '=', claim.partitionKey)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', claim.now)]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return 'claimed';
    const exists = await db
      .selectFrom('msal_token_cache')
      .select('partition_key')
      .where('partition_key', '=', claim.partitionKey)
      .executeTakeFirst();
    return exists ? 'busy' : 'absent';
  });
}

/** Gives up `owner`'s lease on a partition (a lease taken over meanwhile is left alone). */
export async function releaseCachePartition(
  db: StoreExecutor,
  release: { partitionKey: string; owner: string },
): Promise<void> {
  await storeOperation('release MSAL cache partition', () =>
    db
      .updateTable('msal_token_cache')
      .set({ lease_owner: null, lease_until: null })
      .where('partition_key', '=', release.partitionKey)
      .where('lease_owner', '=', release.owner)
      .execute(),
  );
}

/**
 * Deletes partitions nothing has written since `olderThan` (and no live lease holds): their
 * refresh tokens have outlived Entra's inactivity lifetime, so they can no longer sign anyone in.
 */
export async function purgeIdleMsalCaches(db: StoreExecutor, olderThan: EpochMs): Promise<number> {
  const result = await storeOperation('purge idle MSAL cache partitions', () =>
    db
      .deleteFrom('msal_token_cache')
      .where('updated_at', '<', olderThan)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', olderThan)]))
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}
