/** Where an issued access token stands. */
export type LiveTokenStatus = 'live' | 'expired' | 'revoked';

/** The access tokens the authority issued, by `uti`, so they can be revoked or expired early. */
export interface LiveTokenRegistry {
  track(uti: string, userId: string, expiresAt: number): void;
  status(uti: string): LiveTokenStatus;
  /** Forgets every token of `userId` (they become revoked); true if there were any. */
  revokeUser(userId: string): boolean;
  /** Makes every unexpired token of `userId` expire now; returns how many. */
  expireUser(userId: string): number;
}

/** Builds a registry judged by `now` (epoch ms); expired entries are pruned as new ones arrive. */
export function createLiveTokenRegistry(now: () => number): LiveTokenRegistry {
  const tokens = new Map<string, { userId: string; expiresAt: number }>();
  return {
    track(uti, userId, expiresAt) {
      for (const [key, token] of tokens) if (token.expiresAt < now()) tokens.delete(key);
      tokens.set(uti, { userId, expiresAt });
    },
    status(uti) {
      const token = tokens.get(uti);
      if (!token) return 'revoked';
      return token.expiresAt <= now() ? 'expired' : 'live';
    },
    revokeUser(userId) {
      let found = false;
      for (const [key, token] of tokens) {
        if (token.userId !== userId) continue;
        tokens.delete(key);
        found = true;
      }
      return found;
    },
    expireUser(userId) {
      let count = 0;
      for (const token of tokens.values()) {
        if (token.userId !== userId || token.expiresAt <= now()) continue;
        token.expiresAt = now();
        count += 1;
      }
      return count;
    },
  };
}
