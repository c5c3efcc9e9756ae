import { createHash, randomBytes } from 'node:crypto';
import { invalidGrant } from './oauth-error';

/** What an authorization code was issued for. */
export interface CodeGrant {
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  nonce?: string;
}

/** Single-use authorization codes (10 minutes), each bound to its client, redirect URI and PKCE challenge. */
export interface AuthorizationCodes {
  mint(grant: CodeGrant): string;
  /** Consumes `code`, checking client, redirect URI and the S256 `code_verifier`; throws invalid_grant. */
  redeem(
    code: string,
    request: { clientId: string; redirectUri: string; codeVerifier: string },
  ): CodeGrant;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** The S256 PKCE challenge of a verifier (RFC 7636). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Builds an in-memory code registry judged by `now` (epoch ms). */
export function createAuthorizationCodes(now: () => number): AuthorizationCodes {
  const codes = new Map<string, { grant: CodeGrant; expiresAt: number }>();
  return {
    mint(grant) {
      for (const [code, entry] of codes) if (entry.expiresAt <= now()) codes.delete(code);
      const code = `1.sim.${randomBytes(32).toString('base64url')}`;
      codes.set(code, { grant, expiresAt: now() + CODE_LIFETIME_MS });
      return code;
    },
    redeem(code, request) {
      const entry = codes.get(code);
      codes.delete(code);
      if (!entry || entry.expiresAt <= now()) {
        throw invalidGrant(
          70008,
          'The provided authorization code or refresh token has expired or was already used.',
        );
      }
      const { grant } = entry;
      if (grant.clientId.toLowerCase() !== request.clientId.toLowerCase()) {
        throw invalidGrant(70000, 'The authorization code was issued to another client.');
      }
      if (grant.redirectUri !== request.redirectUri) {
        throw invalidGrant(
          70000,
          'The redirect_uri does not match the one the authorization code was requested with.',
        );
      }
      if (
        request.codeVerifier === '' ||
        s256Challenge(request.codeVerifier) !== grant.codeChallenge
      ) {
        throw invalidGrant(
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        );
      }
      return grant;
    },
  };
}
