import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { AppError } from '../../src/errors/app-error';
import type { MsalSignIn, SignedInUser } from '../../src/signin/msal/msal-sign-in';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { tokenFor } from './tenant-simulator-harness';

/**
 * Entra as MsalSignIn shows it to the bot (MSAL itself against the simulator is msal-entra's
 * test): OBO and code redemption put a simulator Graph token in an in-memory cache; PKCE is
 * checked (the verifier must match the challenge of the authorization URL the user approved).
 */
export interface FakeMsalSignIn extends MsalSignIn {
  /** Users whose on-behalf-of answers consent_required. */
  readonly needsConsent: Set<string>;
  /** Users whose refresh token Entra refuses (invalid_grant): their cached account stays until signed out. */
  readonly revoked: Set<string>;
  /** Calls made, as `onBehalfOf`, `authorizationUrl`, `redeemCode`, `signOut user`. */
  readonly calls: string[];
  /** The user approves the sign-in page opened at `authorizeUrl`; returns Entra's redirect query. */
  approve(authorizeUrl: string, userId: string): URLSearchParams;
  signedIn(userId: string): boolean;
}

const challengeOf = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

const key = (tenantId: string, userId: string): string => `${tenantId}|${userId}`.toLowerCase();

/** Builds the fake over the simulator, which issues the Graph tokens. */
export function fakeMsalSignIn(sim: RunningSimulator, tenantId: string): FakeMsalSignIn {
  const cache = new Map<string, string>();
  const codes = new Map<string, { userId: string; challenge: string; redirectUri: string }>();
  const needsConsent = new Set<string>();
  const revoked = new Set<string>();
  const calls: string[] = [];
  const signInAs = async (userId: string): Promise<SignedInUser> => {
    cache.set(key(tenantId, userId), await tokenFor(sim, userId));
    return { tenantId, userId };
  };
  return {
    needsConsent,
    revoked,
    calls,
    async getToken(tenant, userId) {
      if (revoked.has(userId)) throw new AppError('TOKEN_UNAVAILABLE', 'invalid_grant');
      const token = cache.get(key(tenant, userId));
      if (!token) throw new AppError('TOKEN_UNAVAILABLE', 'no cached account');
      return token;
    },
    async onBehalfOf(ssoToken) {
      calls.push('onBehalfOf');
      const userId = String(decodeJwt(ssoToken).oid);
      if (needsConsent.has(userId)) throw new AppError('SIGN_IN_CONSENT_REQUIRED');
      return signInAs(userId);
    },
    async authorizationUrl({
      state,
      redirectUri,
      codeVerifier = randomBytes(32).toString('base64url'),
    }) {
      calls.push('authorizationUrl');
      const url = new URL('https://login.example.test/tenant/oauth2/v2.0/authorize');
      url.search = new URLSearchParams({
        state,
        redirect_uri: redirectUri,
        code_challenge: challengeOf(codeVerifier),
      }).toString();
      return { url: url.toString(), codeVerifier };
    },
    async redeemCode({ code, codeVerifier, redirectUri }) {
      calls.push('redeemCode');
      const issued = codes.get(code);
      codes.delete(code);
      const pkce = issued?.challenge === challengeOf(codeVerifier);
      if (!issued || !pkce || issued.redirectUri !== redirectUri) {
        throw new AppError('SIGN_IN_FAILED', 'invalid_grant');
      }
      needsConsent.delete(issued.userId);
      return signInAs(issued.userId);
    },
    async signOut(tenant, userId) {
      calls.push(`signOut ${userId}`);
      cache.delete(key(tenant, userId));
    },
    approve(authorizeUrl, userId) {
      const query = new URL(authorizeUrl).searchParams;
      const state = query.get('state') ?? '';
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        userId,
        challenge: query.get('code_challenge') ?? '',
        redirectUri: query.get('redirect_uri') ?? '',
      });
      return new URLSearchParams({ code, state });
    },
    signedIn: (userId) => cache.has(key(tenantId, userId)),
  };
}
