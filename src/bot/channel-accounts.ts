import { normalizeEntraId } from '../store/entra-ids';
import type { ChannelUser } from './turn-identity';

/** Where to find a user in the token service: their channel id and channel. */
export interface ChannelAccount {
  readonly channelUserId: string;
  readonly channelId: string;
}

/** Maps an Entra user to the channel account the token service stores their token under. */
export interface ChannelAccountDirectory {
  remember(user: ChannelUser): void;
  find(tenantId: string, aadObjectId: string): ChannelAccount | undefined;
}

/** A directory held in memory, filled from every incoming activity. */
export function createChannelAccountDirectory(): ChannelAccountDirectory {
  const accounts = new Map<string, ChannelAccount>();
  const key = (tenantId: string, aadObjectId: string): string =>
    `${tenantId.toLowerCase()}|${normalizeEntraId(aadObjectId)}`;
  return {
    remember(user) {
      if (!user.aadObjectId || !user.channelUserId) return;
      accounts.set(key(user.tenantId, user.aadObjectId), {
        channelUserId: user.channelUserId,
        channelId: user.channelId,
      });
    },
    find: (tenantId, aadObjectId) => accounts.get(key(tenantId, aadObjectId)),
  };
}
