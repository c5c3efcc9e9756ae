import { createHash } from 'node:crypto';

/** What a successful verification established about one token. */
export interface VerifiedToken {
  tenantId: string;
  audience: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

/** A bounded, least-recently-used cache of verified tokens keyed by the token's SHA-256. */
export interface VerifiedTokenCache {
  get(token: string): VerifiedToken | undefined;
  set(token: string, verified: VerifiedToken, nowSeconds: number): void;
  delete(token: string): void;
  readonly size: number;
}

function tokenKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** Builds a cache holding at most `maxEntries` verified tokens. */
export function createVerifiedTokenCache(maxEntries: number): VerifiedTokenCache {
  const capacity = Math.max(1, Math.floor(maxEntries));
  const entries = new Map<string, VerifiedToken>();

  const evictExpired = (nowSeconds: number): void => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= nowSeconds) entries.delete(key);
    }
  };

  const evictOldest = (): void => {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  };

  return {
    get(token) {
      const key = tokenKey(token);
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    set(token, verified, nowSeconds) {
      const key = tokenKey(token);
      entries.delete(key);
      if (entries.size >= capacity) evictExpired(nowSeconds);
      while (entries.size >= capacity) evictOldest();
      entries.set(key, verified);
    },
    delete(token) {
      entries.delete(tokenKey(token));
    },
    get size() {
      return entries.size;
    },
  };
}
