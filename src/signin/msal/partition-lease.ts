import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../errors/app-error';
import type { StoreExecutor } from '../../store/database-schema';
import { claimCachePartition, releaseCachePartition } from '../../store/msal-token-cache';

/** How long one operation may hold a user's partition before another instance may take it over. */
const LEASE_MS = 30_000;
/** How long an operation waits for another one on the same user before giving up (transient). */
const WAIT_MS = 15_000;
const POLL_MS = 25;

/**
 * Runs `operation` holding the lease on a user's cache partition, so background token requests
 * for one user run one at a time across every instance sharing the database (a refresh never
 * races another refresh of the same refresh token). The lease is held as `<processOwner>.<uuid>`:
 * the process's lease owner name, so a restart frees a dead process's leases (see
 * app/dead-owner-leases.ts), and one of its own per operation, so an operation that overran its
 * lease never releases the next one's. TOKEN_UNAVAILABLE when the user has no partition;
 * STORE_UNAVAILABLE when the lease stays busy for too long.
 */
export async function withPartitionLease<T>(
  db: StoreExecutor,
  partitionKey: string,
  processOwner: string,
  operation: () => Promise<T>,
): Promise<T> {
  const owner = `${processOwner}.${randomUUID()}`;
  const giveUpAt = Date.now() + WAIT_MS;
  for (;;) {
    const claim = await claimCachePartition(db, {
      partitionKey,
      owner,
      now: Date.now(),
      leaseMs: LEASE_MS,
    });
    if (claim === 'absent') throw new AppError('TOKEN_UNAVAILABLE', 'no cached account');
    if (claim === 'claimed') break;
    if (Date.now() >= giveUpAt) {
      throw new AppError('STORE_UNAVAILABLE', 'the MSAL cache partition stayed busy');
    }
    await sleep(POLL_MS);
  }
  try {
    return await operation();
  } finally {
    await releaseCachePartition(db, { partitionKey, owner }).catch(() => undefined);
  }
}
