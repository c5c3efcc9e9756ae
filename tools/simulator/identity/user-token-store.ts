import type { AccessTokenAuthority, IssuedTokens } from './access-token-authority';

/** One token-service entry: a user's Graph tokens under one OAuth connection. */
export interface StoredUserToken {
  /** The channel's user id (`activity.from.id`), the token service's key. */
  channelUserId: string;
  connectionName: string;
  channelId: string;
  /** The directory user (Entra object id) the tokens belong to. */
  userId: string;
  /** The app the tokens were issued to (their `appid`). */
  appId: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The Bot Service token store: keeps tokens per (user, connection) and refreshes them when due. */
export interface UserTokenStore {
  put(entry: StoredUserToken): void;
  /** A valid token for (user, connection), refreshed if it expires within five minutes; else undefined. */
  get(channelUserId: string, connectionName: string): Promise<StoredUserToken | undefined>;
  /** Removes the user's entry for one connection, or for all when `connectionName` is omitted. */
  remove(channelUserId: string, connectionName?: string): number;
  /** Every entry of the channel user (without refreshing). */
  entriesOf(channelUserId: string): StoredUserToken[];
}

const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** The token service's key for (channel user, connection); connection names ignore case. */
export function userConnectionKey(channelUserId: string, connectionName: string): string {
  return JSON.stringify([channelUserId, connectionName.toLowerCase()]);
}

/** Builds an in-memory token store over `authority`, judged by `now` (epoch ms). */
export function createUserTokenStore(deps: {
  authority: AccessTokenAuthority;
  now: () => number;
}): UserTokenStore {
  const entries = new Map<string, StoredUserToken>();
  const refreshing = new Map<string, Promise<StoredUserToken | undefined>>();
  deps.authority.onConsentRevoked((userId) => removeWhere((entry) => entry.userId === userId));

  function removeWhere(predicate: (entry: StoredUserToken) => boolean): number {
    let removed = 0;
    for (const [key, entry] of entries) {
      if (!predicate(entry)) continue;
      entries.delete(key);
      removed += 1;
    }
    return removed;
  }

  async function isUsable(entry: StoredUserToken): Promise<boolean> {
    if (entry.expiresAt - deps.now() <= REFRESH_MARGIN_MS) return false;
    return deps.authority.verify(entry.accessToken).then(
      () => true,
      () => false,
    );
  }

  async function refreshEntry(
    key: string,
    entry: StoredUserToken,
  ): Promise<StoredUserToken | undefined> {
    let issued: IssuedTokens;
    try {
      issued = await deps.authority.refresh(entry.refreshToken);
    } catch {
      const current = entries.get(key);
      if (current !== entry) return current;
      entries.delete(key);
      return undefined;
    }
    const refreshed = { ...entry, ...pickTokens(issued) };
    if (entries.get(key) === entry) entries.set(key, refreshed);
    return refreshed;
  }

  return {
    put(entry) {
      entries.set(userConnectionKey(entry.channelUserId, entry.connectionName), { ...entry });
    },
    async get(channelUserId, connectionName) {
      const key = userConnectionKey(channelUserId, connectionName);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (await isUsable(entry)) return { ...entry };
      const inFlight = refreshing.get(key) ?? refreshEntry(key, entry);
      refreshing.set(key, inFlight);
      try {
        const refreshed = await inFlight;
        return refreshed && { ...refreshed };
      } finally {
        refreshing.delete(key);
      }
    },
    remove(channelUserId, connectionName) {
      return removeWhere(
        (entry) =>
          entry.channelUserId === channelUserId &&
          (connectionName === undefined ||
            entry.connectionName.toLowerCase() === connectionName.toLowerCase()),
      );
    },
    entriesOf(channelUserId) {
      return [...entries.values()].filter((entry) => entry.channelUserId === channelUserId);
    },
  };
}

function pickTokens(
  issued: IssuedTokens,
): Pick<StoredUserToken, 'accessToken' | 'refreshToken' | 'expiresAt'> {
  return {
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: issued.expiresAt,
  };
}
