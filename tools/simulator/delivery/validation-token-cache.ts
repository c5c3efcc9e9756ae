import type { ValidationTokenIssuer } from '../validation-token-issuer';

const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
const RENEW_BEFORE_MS = 60 * 60 * 1000;

/** Hands out one validation token per (app, tenant), reused like Graph until it nears expiry. */
export interface ValidationTokenCache {
  tokenFor(appId: string, tenantId: string): Promise<string>;
}

/**
 * Builds the cache over the simulator's issuer. Tokens are dated by the real clock (`realNow`),
 * because receivers judge them by theirs, whatever speed the simulated clock runs at.
 */
export function createValidationTokenCache(
  issuer: ValidationTokenIssuer,
  realNow: () => number = Date.now,
): ValidationTokenCache {
  const tokens = new Map<string, { token: Promise<string>; expiresAt: number }>();
  return {
    tokenFor(appId, tenantId) {
      const key = `${appId}|${tenantId}`;
      const cached = tokens.get(key);
      const now = realNow();
      if (cached && cached.expiresAt - RENEW_BEFORE_MS > now) return cached.token;
      const token = issuer.issue({
        tenantId,
        audience: appId,
        now: new Date(now),
        lifetimeSeconds: TOKEN_LIFETIME_SECONDS,
      });
      tokens.set(key, { token, expiresAt: now + TOKEN_LIFETIME_SECONDS * 1000 });
      token.catch(() => tokens.delete(key));
      return token;
    },
  };
}
