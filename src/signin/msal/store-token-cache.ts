import type { ICacheClient, IPartitionManager } from '@azure/msal-node';
import { AppError } from '../../errors/app-error';
import { openSecret, sealSecret } from '../../store/secret-box';
import type { StoreDatabase } from '../../store/open-database';
import type { StoreKeyRing } from '../../store/store-keys';
import {
  msalCacheContext,
  msalCachePartitionKey,
  readCachePartition,
  replaceCachePartition,
  writeCachePartition,
} from '../../store/msal-token-cache';

/** The account entity MSAL hands the partition manager. */
type CachedAccount = Parameters<IPartitionManager['extractKey']>[0];

/** One MSAL operation's view of the store: which partition it reads and how it writes. */
export interface CacheSession {
  readonly client: ICacheClient;
  readonly partitions: IPartitionManager;
}

/** How a session writes: `compare-and-swap` against the version it read, or `replace` (a new sign-in). */
export type CacheWriteMode = 'compare-and-swap' | 'replace';

/**
 * A cache client and partition manager for one MSAL operation (msal-node's `DistributedCachePlugin`
 * does the rest): reads open the user's sealed partition and remember its version; writes seal it
 * (AES-256-GCM under the store key) and, in `compare-and-swap` mode, succeed only if the partition
 * is still at the version read, else fail with STORE_UNAVAILABLE (transient: asked again later, the
 * operation reads the newer cache). `partitionKey` is undefined when the user is not known yet
 * (on-behalf-of, code redemption): the partition is then chosen from the account MSAL cached.
 */
export function createCacheSession(options: {
  database: StoreDatabase;
  storeKeys: StoreKeyRing;
  partitionKey: string | undefined;
  mode: CacheWriteMode;
  now: () => number;
}): CacheSession {
  const { db } = options.database;
  const versions = new Map<string, number | undefined>();
  const client: ICacheClient = {
    async get(key) {
      if (key === '') return '';
      const stored = await readCachePartition(db, key);
      versions.set(key, stored?.version);
      if (!stored) return '';
      return openSecret(options.storeKeys, stored.sealed, msalCacheContext(key)).toString('utf8');
    },
    async set(key, value) {
      if (key === '') return value;
      const sealed = sealSecret(options.storeKeys, value, msalCacheContext(key));
      const now = options.now();
      if (options.mode === 'replace') {
        await replaceCachePartition(db, { partitionKey: key, sealed, now });
        return value;
      }
      const written = await writeCachePartition(db, {
        partitionKey: key,
        sealed,
        expectedVersion: versions.get(key),
        now,
      });
      if (!written) {
        throw new AppError('STORE_UNAVAILABLE', 'the MSAL cache partition changed meanwhile');
      }
      return value;
    },
  };
  const partitions: IPartitionManager = {
    getKey: () => Promise.resolve(options.partitionKey ?? ''),
    extractKey: (account: CachedAccount) =>
      Promise.resolve(msalCachePartitionKey(account.realm, account.localAccountId)),
  };
  return { client, partitions };
}
