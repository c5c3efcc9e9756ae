import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AppError, isAppError } from '../../errors/app-error';
import type { ErrorCode } from '../../errors/error-codes';

/** Who the activity says is speaking: the token must name the same tenant and user. */
export interface SsoTokenSubject {
  readonly tenantId: string;
  readonly aadObjectId: string | undefined;
}

/** What the verifier needs: Entra's keys, the accepted audiences and the authority host. */
export interface SsoTokenVerifierOptions {
  /** Entra's signing keys (the authority's JWKS, cached: `remoteKeySet`). */
  keySet: JWTVerifyGetKey;
  /** Accepted `aud` values: `api://botid-{BOT_ID}`, the app id URI, the app (client) id. */
  audiences: readonly string[];
  /** The configured authority host; `{host}/{tid}/v2.0` is accepted as an issuer besides Microsoft's. */
  authorityHost: string;
  /** Allowed clock skew for `exp`/`nbf` (default 60 s). */
  clockToleranceSeconds?: number;
  now?: () => number;
}

/** Checks a Teams SSO token before anything is exchanged for it. */
export interface SsoTokenVerifier {
  /**
   * Resolves when the token is Entra-signed, unexpired, for one of our audiences, from an accepted
   * issuer of the subject's tenant, and its `oid` is the subject. Rejects with AppError
   * SSO_TOKEN_INVALID, SSO_TOKEN_AUDIENCE_INVALID, SSO_TOKEN_ISSUER_INVALID,
   * SSO_TOKEN_TENANT_MISMATCH, SSO_TOKEN_USER_MISMATCH, or JWKS_UNAVAILABLE.
   */
  verify(token: string, subject: SsoTokenSubject): Promise<void>;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

function sameId(claim: unknown, expected: string | undefined): boolean {
  return (
    typeof claim === 'string' &&
    expected !== undefined &&
    expected.length > 0 &&
    claim.toLowerCase() === expected.toLowerCase()
  );
}

function refusal(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return new AppError('SSO_TOKEN_AUDIENCE_INVALID');
  }
  if (error instanceof errors.JOSEError) {
    return new AppError('SSO_TOKEN_INVALID', error.code);
  }
  return new AppError('JWKS_UNAVAILABLE', 'signing key lookup failed', { cause: error });
}

function acceptedIssuers(tenantId: string, authorityHost: string): string[] {
  return [
    `https://login.microsoftonline.com/${tenantId}/v2.0`,
    `https://sts.windows.net/${tenantId}/`,
    `${authorityHost.replace(/\/+$/, '')}/${tenantId}/v2.0`,
  ].map((issuer) => issuer.toLowerCase());
}

function checkClaims(claims: JWTPayload, subject: SsoTokenSubject, authorityHost: string): void {
  const fail = (code: ErrorCode): never => {
    throw new AppError(code);
  };
  if (!sameId(claims.tid, subject.tenantId)) fail('SSO_TOKEN_TENANT_MISMATCH');
  const issuer = typeof claims.iss === 'string' ? claims.iss.toLowerCase() : '';
  if (!acceptedIssuers(subject.tenantId, authorityHost).includes(issuer)) {
    fail('SSO_TOKEN_ISSUER_INVALID');
  }
  if (!sameId(claims.oid, subject.aadObjectId)) fail('SSO_TOKEN_USER_MISMATCH');
}

/** Builds the Teams SSO token verifier (RS256 only, `exp` required). */
export function createSsoTokenVerifier(options: SsoTokenVerifierOptions): SsoTokenVerifier {
  const now = options.now ?? Date.now;
  return {
    async verify(token, subject) {
      if (options.audiences.length === 0) throw new AppError('SSO_TOKEN_AUDIENCE_INVALID');
      try {
        const { payload } = await jwtVerify(token, options.keySet, {
          algorithms: ['RS256'],
          audience: [...options.audiences],
          requiredClaims: ['exp', 'tid', 'oid', 'iss'],
          clockTolerance: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
        });
        checkClaims(payload, subject, options.authorityHost);
      } catch (error) {
        throw refusal(error);
      }
    },
  };
}
