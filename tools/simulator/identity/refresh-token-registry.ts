import { createHash, randomBytes } from 'node:crypto';
import { invalidGrant } from './simulator-auth-error';

/** What a refresh token lets its holder obtain again. */
export interface RefreshGrant {
  userId: string;
  tenantId: string;
  appId: string;
  scopes: string[];
  name?: string;
  upn?: string;
}

/** Opaque refresh tokens, stored only as SHA-256 hashes; each is redeemable once. */
export interface RefreshTokenRegistry {
  /** Mints a refresh token for `grant`. */
  mint(grant: RefreshGrant): string;
  /** Consumes `token` and returns its grant, or throws invalid_grant. */
  redeem(token: string): RefreshGrant;
  /** Forgets every refresh token of `userId`. */
  revokeUser(userId: string): void;
}

interface StoredGrant {
  grant: RefreshGrant;
  expiresAt: number;
}

/** Default refresh token lifetime: Entra's 90 days of inactivity. */
const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Builds an in-memory refresh token registry judged by the clock `now` (epoch ms). */
export function createRefreshTokenRegistry(now: () => number): RefreshTokenRegistry {
  const grants = new Map<string, StoredGrant>();

  const pruneExpired = (): void => {
    for (const [hash, stored] of grants) if (stored.expiresAt <= now()) grants.delete(hash);
  };

  return {
    mint(grant) {
      pruneExpired();
      const token = `0.sim.${randomBytes(48).toString('base64url')}`;
      grants.set(hashToken(token), { grant, expiresAt: now() + REFRESH_TOKEN_LIFETIME_MS });
      return token;
    },
    redeem(token) {
      const hash = hashToken(token);
      const stored = grants.get(hash);
      grants.delete(hash);
      if (!stored || stored.expiresAt <= now()) {
        throw invalidGrant(
          'AADSTS70000: The provided refresh token is invalid, expired or revoked.',
        );
      }
      return stored.grant;
    },
    revokeUser(userId) {
      for (const [hash, stored] of grants) if (stored.grant.userId === userId) grants.delete(hash);
    },
  };
}
