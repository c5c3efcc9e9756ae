import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from '../../errors/app-error';

/** Options for a key set fetched over HTTP. */
export interface RemoteKeySetOptions {
  /** Minimum time between two refetches triggered by an unknown `kid` (default 30 s). */
  cooldownMs?: number;
  /** How long a fetched key set is used before it is fetched again (default 10 min). */
  cacheMaxAgeMs?: number;
  /** How long one fetch may take (default 5 s). */
  timeoutMs?: number;
  /** Fetches the set instead of the global fetch (local mode: trusting the simulator's CA). */
  fetch?: FetchImplementation;
}

/** Errors from a key lookup that say something about the token, not about the key source. */
const TOKEN_SIDE_ERROR_CODES: ReadonlySet<string> = new Set([
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JOSENotSupported.code,
  errors.JOSEAlgNotAllowed.code,
]);

function isTokenSideError(error: unknown): boolean {
  return error instanceof errors.JOSEError && TOKEN_SIDE_ERROR_CODES.has(error.code);
}

/**
 * A JWKS fetched from `url`, cached, refetched on an unknown `kid` (at most once per cooldown).
 * Only a fetch failure becomes AppError('JWKS_UNAVAILABLE'), which the caller retries. A `kid`
 * still unknown after a refetch, or unknown to a set fetched within the cooldown, is the token's
 * fault and rejected for good: Microsoft publishes signing keys well before using them.
 */
export function remoteKeySet(url: string, options: RemoteKeySetOptions = {}): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    timeoutDuration: options.timeoutMs,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
  return async (protectedHeader, token) => {
    try {
      return await remote(protectedHeader, token);
    } catch (error) {
      if (isTokenSideError(error)) throw error;
      throw new AppError('JWKS_UNAVAILABLE', 'key set fetch failed', { cause: error });
    }
  };
}

/** A fixed JWKS (e.g. read from the CLI's `--jwks <file>`); a malformed set is JWKS_UNAVAILABLE. */
export function localKeySet(jwksJson: unknown): JWTVerifyGetKey {
  try {
    return createLocalJWKSet(jwksJson as Parameters<typeof createLocalJWKSet>[0]);
  } catch (error) {
    throw new AppError('JWKS_UNAVAILABLE', 'the JWKS document is not a valid key set', {
      cause: error,
    });
  }
}
