import type { StoreExecutor } from '../store/database-schema';
import { findChannelAccount, upsertChannelAccount } from '../store/channel-accounts';
import { normalizeEntraId } from '../store/entra-ids';
import type { ChannelUser } from './turn-identity';

/** Where to find a user in the token service: their channel id and channel. */
export interface ChannelAccount {
  readonly channelUserId: string;
  readonly channelId: string;
}

/** Maps an Entra user to the channel account the token service stores their token under. */
export interface ChannelAccountDirectory {
  remember(user: ChannelUser): Promise<void>;
  find(tenantId: string, aadObjectId: string): Promise<ChannelAccount | undefined>;
  /** Drops the in-memory copy of a user's account (after their stored row was purged). */
  forget(tenantId: string, aadObjectId: string): void;
}

/** How often a known user's "last seen" time is written again (idle accounts expire on it). */
const LAST_SEEN_REFRESH_MS = 60 * 60 * 1000;

/**
 * A directory kept in the store (so the keeper finds users' tokens after a restart, before they
 * talk again), with an in-memory copy that saves a write on every activity: an unchanged account
 * is written again at most hourly, to keep its last-seen time.
 */
export function createChannelAccountDirectory(
  db: StoreExecutor,
  now: () => number = Date.now,
): ChannelAccountDirectory {
  const known = new Map<string, ChannelAccount>();
  const writtenAt = new Map<string, number>();
  const key = (tenantId: string, aadObjectId: string): string =>
    `${tenantId.toLowerCase()}|${normalizeEntraId(aadObjectId)}`;
  return {
    async remember(user) {
      if (!user.aadObjectId || !user.channelUserId) return;
      const account = { channelUserId: user.channelUserId, channelId: user.channelId };
      const userKey = key(user.tenantId, user.aadObjectId);
      const cached = known.get(userKey);
      const fresh = now() - (writtenAt.get(userKey) ?? -Infinity) < LAST_SEEN_REFRESH_MS;
      if (
        fresh &&
        cached?.channelUserId === account.channelUserId &&
        cached.channelId === account.channelId
      )
        return;
      const at = now();
      await upsertChannelAccount(
        db,
        { tenantId: user.tenantId, aadObjectId: user.aadObjectId, ...account },
        at,
      );
      known.set(userKey, account);
      writtenAt.set(userKey, at);
    },
    async find(tenantId, aadObjectId) {
      const cached = known.get(key(tenantId, aadObjectId));
      if (cached) return cached;
      const stored = await findChannelAccount(db, tenantId, aadObjectId);
      if (!stored) return undefined;
      const account = { channelUserId: stored.channelUserId, channelId: stored.channelId };
      known.set(key(tenantId, aadObjectId), account);
      return account;
    },
    forget(tenantId, aadObjectId) {
      known.delete(key(tenantId, aadObjectId));
      writtenAt.delete(key(tenantId, aadObjectId));
    },
  };
}
