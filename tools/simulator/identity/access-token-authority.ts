import { generateKeyPairSync, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import { exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { createConsentRegistry, type ConsentRecord } from './consent-registry';
import { createLiveTokenRegistry } from './live-token-registry';
import { createRefreshTokenRegistry, type RefreshGrant } from './refresh-token-registry';
import { invalidAuthenticationToken, invalidGrant } from './simulator-auth-error';
import {
  delegatedClaims,
  GRAPH_AUDIENCE,
  ssoAudience,
  TEAMS_CLIENT_APP_ID,
  tenantIssuer,
} from './token-claims';
import { TOKEN_FAILURE_MESSAGES, toInvalidTokenError } from './token-verification-errors';

/** A request for a delegated Graph token pair. */
export interface IssueTokenRequest extends RefreshGrant {
  /** Access token lifetime; default a random 60 to 90 minutes, as Entra does. */
  lifetimeSeconds?: number;
}

/** A freshly issued access token (expiring at `expiresAt`, epoch ms) and its refresh token. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
}

/** What a valid access token says about its holder; `expiresAt` is epoch ms. */
export interface VerifiedAccessToken {
  userId: string;
  tenantId: string;
  appId: string;
  scopes: string[];
  audience: string;
  expiresAt: number;
}

/** A request for a Teams SSO token addressed to the bot (`aud` `api://botid-{botAppId}`). */
export interface SsoTokenRequest {
  userId: string;
  botAppId: string;
  lifetimeSeconds?: number;
}

/** What goes into an ID token: who, for which app, from which issuer, and the request's nonce. */
export interface IdTokenRequest {
  userId: string;
  appId: string;
  issuer: string;
  nonce?: string;
  name?: string;
  upn?: string;
}

/** The simulator's Entra: issues, refreshes, verifies and revokes delegated tokens. */
export interface AccessTokenAuthority {
  readonly tenantId: string;
  issue(request: IssueTokenRequest): Promise<IssuedTokens>;
  /** Redeems a single-use refresh token for a new pair; `clientId` (when given) must be the app it was issued to. */
  refresh(refreshToken: string, options?: { clientId?: string }): Promise<IssuedTokens>;
  /** Signs an OpenID Connect v2 ID token for the user, addressed to `appId`. */
  signIdToken(request: IdTokenRequest): Promise<string>;
  /** Records a user's consent to an app (what the consent page does). */
  recordConsent(grant: RefreshGrant): void;
  /** Kills every refresh token of `userId` (consent and access tokens stay), as revokeSignInSessions does. */
  revokeRefreshTokens(userId: string): void;
  /** Verifies a bearer token for `audience` (default Graph); throws SimulatorAuthError 401. */
  verify(token: string, options?: { audience?: string }): Promise<VerifiedAccessToken>;
  issueSsoToken(request: SsoTokenRequest): Promise<string>;
  hasConsent(userId: string, appId: string): boolean;
  consentedUsers(): ConsentRecord[];
  /** Withdraws every consent of `userId`; their tokens and refresh tokens die. True if any existed. */
  revokeConsent(userId: string): boolean;
  /** Makes every live access token of `userId` expired now; returns how many. */
  expireTokensNow(userId: string): number;
  /** Calls `listener` after each revocation (e.g. to drop stored token-service tokens). */
  onConsentRevoked(listener: (userId: string) => void): void;
  /** The public signing key as a JWKS. */
  jwks(): Promise<{ keys: JWK[] }>;
}

const MIN_LIFETIME_SECONDS = 60 * 60;
const MAX_LIFETIME_SECONDS = 90 * 60;

/** Builds an authority for one tenant with a fresh RSA-2048 signing key, judged by `now` (epoch ms). */
export function createAccessTokenAuthority(options: {
  now: () => number;
  tenantId: string;
}): AccessTokenAuthority {
  const { now, tenantId } = options;
  const keyId = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const refreshTokens = createRefreshTokenRegistry(now);
  const consents = createConsentRegistry(now);
  const liveTokens = createLiveTokenRegistry(now);
  const revocationListeners: Array<(userId: string) => void> = [];

  const sign = async (claims: Record<string, unknown>, key: KeyObject): Promise<string> => {
    liveTokens.track(String(claims.uti), String(claims.oid), Number(claims.exp) * 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyId })
      .sign(key);
  };

  const issueFor = async (request: IssueTokenRequest): Promise<IssuedTokens> => {
    const lifetimeSeconds =
      request.lifetimeSeconds ?? randomInt(MIN_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS + 1);
    const issuedAtSeconds = Math.floor(now() / 1000);
    const claims = delegatedClaims({
      ...request,
      audience: GRAPH_AUDIENCE,
      issuedAtSeconds,
      lifetimeSeconds,
    });
    const accessToken = await sign(claims, privateKey);
    return {
      accessToken,
      refreshToken: refreshTokens.mint(grantOf(request)),
      expiresAt: (issuedAtSeconds + lifetimeSeconds) * 1000,
      scopes: [...request.scopes],
    };
  };

  return {
    tenantId,
    async issue(request) {
      consents.record(request);
      return issueFor(request);
    },
    async refresh(refreshToken, refreshOptions = {}) {
      const grant = refreshTokens.redeem(refreshToken);
      const { clientId } = refreshOptions;
      if (clientId !== undefined && clientId.toLowerCase() !== grant.appId.toLowerCase()) {
        throw invalidGrant('AADSTS70000: The refresh token was issued to a different client.');
      }
      if (!consents.has(grant.userId, grant.appId)) {
        throw invalidGrant('AADSTS65001: The user has not consented to use the application.');
      }
      return issueFor(grant);
    },
    async verify(token, verifyOptions = {}) {
      const audience = verifyOptions.audience ?? GRAPH_AUDIENCE;
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: ['RS256'],
        audience,
        issuer: tenantIssuer(tenantId),
        currentDate: new Date(now()),
        requiredClaims: ['exp', 'oid', 'tid', 'uti', 'appid'],
      }).catch((error: unknown) => {
        throw toInvalidTokenError(error);
      });
      const status = liveTokens.status(String(payload.uti));
      if (status === 'revoked') throw invalidAuthenticationToken(TOKEN_FAILURE_MESSAGES.revoked);
      if (status === 'expired') throw invalidAuthenticationToken(TOKEN_FAILURE_MESSAGES.lifetime);
      return {
        userId: String(payload.oid),
        tenantId: String(payload.tid),
        appId: String(payload.appid),
        scopes: typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [],
        audience,
        expiresAt: Number(payload.exp) * 1000,
      };
    },
    async issueSsoToken(request) {
      const claims = delegatedClaims({
        userId: request.userId,
        tenantId,
        appId: TEAMS_CLIENT_APP_ID,
        audience: ssoAudience(request.botAppId),
        scopes: ['access_as_user'],
        issuedAtSeconds: Math.floor(now() / 1000),
        lifetimeSeconds: request.lifetimeSeconds ?? MIN_LIFETIME_SECONDS,
      });
      return sign(claims, privateKey);
    },
    async signIdToken(request) {
      const issuedAt = Math.floor(now() / 1000);
      return new SignJWT(idTokenClaims(request, tenantId, issuedAt))
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyId })
        .sign(privateKey);
    },
    recordConsent: (grant) => consents.record(grant),
    revokeRefreshTokens: (userId) => refreshTokens.revokeUser(userId),
    hasConsent: (userId, appId) => consents.has(userId, appId),
    consentedUsers: () => consents.all(),
    revokeConsent(userId) {
      const hadConsent = consents.revokeUser(userId);
      const hadTokens = liveTokens.revokeUser(userId);
      refreshTokens.revokeUser(userId);
      for (const listener of revocationListeners) listener(userId);
      return hadConsent || hadTokens;
    },
    expireTokensNow(userId) {
      return liveTokens.expireUser(userId);
    },
    onConsentRevoked(listener) {
      revocationListeners.push(listener);
    },
    async jwks() {
      const jwk = await exportJWK(publicKey);
      return { keys: [{ ...jwk, kid: keyId, alg: 'RS256', use: 'sig' }] };
    },
  };
}

function idTokenClaims(
  request: IdTokenRequest,
  tenantId: string,
  issuedAt: number,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    aud: request.appId,
    iss: request.issuer,
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + MIN_LIFETIME_SECONDS,
    oid: request.userId,
    sub: request.userId,
    tid: tenantId,
    ver: '2.0',
  };
  if (request.nonce !== undefined) claims.nonce = request.nonce;
  if (request.name !== undefined) claims.name = request.name;
  if (request.upn !== undefined) claims.preferred_username = request.upn;
  return claims;
}

function grantOf(request: IssueTokenRequest): RefreshGrant {
  const grant: RefreshGrant = {
    userId: request.userId,
    tenantId: request.tenantId,
    appId: request.appId,
    scopes: [...request.scopes],
  };
  if (request.name !== undefined) grant.name = request.name;
  if (request.upn !== undefined) grant.upn = request.upn;
  return grant;
}
