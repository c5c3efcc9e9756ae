import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError, isAppError } from '../../errors/app-error';
import type { Logger } from '../../logging/logger';
import { checkGraphTokenClaims, matchedAudience } from './graph-token-claims';
import { createVerifiedTokenCache, type VerifiedToken } from './verified-token-cache';

/** Dependencies and settings of the validation-token verifier. */
export interface ValidationTokenVerifierOptions {
  /** Where signing keys come from: `remoteKeySet(...)` or `localKeySet(...)`. */
  keySet: JWTVerifyGetKey;
  /** Accepted `aud` values: our app (client) ids. An empty list rejects every token. */
  audiences: readonly string[];
  /** Allowed clock skew for `exp`/`nbf` (default 120 s). */
  clockToleranceSeconds?: number;
  /** The clock tokens are judged by (default: the system clock). */
  now?: () => Date;
  /** Most verified tokens remembered at once (default 1,000). */
  cacheSize?: number;
  logger: Logger;
}

/** Options of one batch verification. */
export interface VerifyBatchOptions {
  /** True when the batch carries encrypted content, so tokens are mandatory (default true). */
  requireTokens: boolean;
}

/** Verifies the `validationTokens` of one change-notification batch. */
export interface ValidationTokenVerifier {
  /**
   * Resolves when every token passes and every tenant in `tenantIds` is the `tid` of a verified token.
   * Rejects with AppError VALIDATION_TOKENS_MISSING, VALIDATION_TOKEN_INVALID,
   * VALIDATION_TOKEN_TENANT_MISMATCH, or JWKS_UNAVAILABLE (retry later).
   */
  verifyBatch(
    tokens: readonly string[] | undefined,
    tenantIds: readonly string[],
    options?: VerifyBatchOptions,
  ): Promise<void>;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 120;
const DEFAULT_CACHE_SIZE = 1000;

const TOKEN_ERROR_DETAILS: ReadonlyMap<string, string> = new Map([
  [errors.JWTExpired.code, 'exp claim: token expired'],
  [errors.JOSEAlgNotAllowed.code, 'alg is not RS256'],
  [errors.JOSENotSupported.code, 'alg is not supported'],
  [errors.JWSInvalid.code, 'malformed token'],
  [errors.JWTInvalid.code, 'malformed token'],
  [errors.JWKSNoMatchingKey.code, 'kid: no matching signing key'],
  [errors.JWKSMultipleMatchingKeys.code, 'signature verification failed'],
  [errors.JWSSignatureVerificationFailed.code, 'signature verification failed'],
]);

/** Turns any verification failure into a safe, coded AppError. */
function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AppError(
      'VALIDATION_TOKEN_INVALID',
      `${error.claim} claim: ${error.reason.replace('_', ' ')}`,
    );
  }
  if (error instanceof errors.JOSEError) {
    const detail = TOKEN_ERROR_DETAILS.get(error.code);
    if (detail) return new AppError('VALIDATION_TOKEN_INVALID', detail);
  }
  return new AppError('JWKS_UNAVAILABLE', 'signing key lookup failed', { cause: error });
}

/** The first VALIDATION_TOKEN_INVALID among `failures`, else the first failure. */
function decisiveFailure(failures: readonly AppError[]): AppError | undefined {
  return failures.find((failure) => failure.code === 'VALIDATION_TOKEN_INVALID') ?? failures[0];
}

/** Builds the verifier for Graph rich-notification validation tokens (RS256, issued for Graph). */
export function createValidationTokenVerifier(
  options: ValidationTokenVerifierOptions,
): ValidationTokenVerifier {
  const log = options.logger.child({ module: 'validation-token-verifier' });
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = options.now ?? (() => new Date());
  const audiences = [...options.audiences];
  const cache = createVerifiedTokenCache(options.cacheSize ?? DEFAULT_CACHE_SIZE);

  const verifyFresh = async (token: string, currentDate: Date): Promise<VerifiedToken> => {
    const { payload } = await jwtVerify(token, options.keySet, {
      algorithms: ['RS256'],
      audience: audiences,
      clockTolerance: tolerance,
      currentDate,
      requiredClaims: ['exp', 'iss', 'aud'],
    });
    const tenantId = checkGraphTokenClaims(payload);
    return {
      tenantId,
      audience: matchedAudience(payload, audiences),
      expiresAt: payload.exp as number,
    };
  };

  const verifyOne = async (token: unknown): Promise<VerifiedToken> => {
    if (typeof token !== 'string' || token.length === 0) {
      throw new AppError('VALIDATION_TOKEN_INVALID', 'token is not a non-empty string');
    }
    if (audiences.length === 0) {
      throw new AppError('VALIDATION_TOKEN_INVALID', 'aud claim: no audience is accepted');
    }
    const currentDate = now();
    const nowSeconds = Math.floor(currentDate.getTime() / 1000);
    const cached = cache.get(token);
    if (cached) {
      if (cached.expiresAt > nowSeconds - tolerance) return cached;
      cache.delete(token);
      throw new AppError('VALIDATION_TOKEN_INVALID', 'exp claim: token expired');
    }
    const verified = await verifyFresh(token, currentDate).catch((error: unknown) => {
      throw toAppError(error);
    });
    cache.set(token, verified, nowSeconds - tolerance);
    return verified;
  };

  const verifyAll = async (tokens: readonly string[]): Promise<VerifiedToken[]> => {
    const outcomes = await Promise.allSettled(tokens.map((token) => verifyOne(token)));
    const failures = outcomes.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [withTokenIndex(toAppError(outcome.reason), index)] : [],
    );
    const failure = decisiveFailure(failures);
    if (failure) throw failure;
    return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  };

  return {
    async verifyBatch(tokens, tenantIds, batchOptions = { requireTokens: true }) {
      if (!tokens || tokens.length === 0) {
        if (!batchOptions.requireTokens) return;
        log.debug({ code: 'VALIDATION_TOKENS_MISSING' }, 'batch rejected');
        throw new AppError('VALIDATION_TOKENS_MISSING');
      }
      try {
        const verified = await verifyAll(tokens);
        requireTenantsCovered(verified, tenantIds);
        log.debug({ tokens: verified.length }, 'validation tokens verified');
      } catch (error) {
        const appError = toAppError(error);
        log.debug({ code: appError.code, detail: appError.detail }, 'batch rejected');
        throw appError;
      }
    },
  };
}

function withTokenIndex(error: AppError, index: number): AppError {
  return new AppError(error.code, `token ${index + 1}: ${error.detail ?? error.code}`, {
    cause: error.cause,
  });
}

function requireTenantsCovered(
  verified: readonly VerifiedToken[],
  tenantIds: readonly string[],
): void {
  const covered = new Set(verified.map((token) => token.tenantId.toLowerCase()));
  if (tenantIds.some((tenantId) => !covered.has(tenantId.toLowerCase()))) {
    throw new AppError(
      'VALIDATION_TOKEN_TENANT_MISMATCH',
      'an item tenant has no verified validation token',
    );
  }
}
