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

/**
 * A directory kept in the store (so the keeper finds users' tokens after a restart, before they
 * talk again), with an in-memory copy that saves a write on every activity.
 */
export function createChannelAccountDirectory(
  db: StoreExecutor,
  now: () => number = Date.now,
): ChannelAccountDirectory {
  const known = new Map<string, ChannelAccount>();
  const key = (tenantId: string, aadObjectId: string): string =>
    `${tenantId.toLowerCase()}|${normalizeEntraId(aadObjectId)}`;
  return {
    async remember(user) {
      if (!user.aadObjectId || !user.channelUserId) return;
      const account = { channelUserId: user.channelUserId, channelId: user.channelId };
      const cached = known.get(key(user.tenantId, user.aadObjectId));
      if (cached?.channelUserId === account.channelUserId && cached.channelId === account.channelId)
        return;
      await upsertChannelAccount(
        db,
        { tenantId: user.tenantId, aadObjectId: user.aadObjectId, ...account },
        now(),
      );
      known.set(key(user.tenantId, user.aadObjectId), account);
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
    },
  };
}
