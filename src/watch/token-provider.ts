import { AppError, isAppError } from '../errors/app-error';

/**
 * Gives a user's delegated Graph access token (Presence.Read.All, User.ReadBasic.All).
 * Throws AppError('TOKEN_UNAVAILABLE') when the user must sign in again.
 */
export interface DelegatedTokenProvider {
  getToken(tenantId: string, userId: string): Promise<string>;
}

/** True when an error means the user's delegated access is gone: no token, or Graph refused it. */
export function isAuthFailure(error: unknown): boolean {
  return (
    isAppError(error, 'TOKEN_UNAVAILABLE') ||
    isAppError(error, 'GRAPH_UNAUTHORIZED') ||
    isAppError(error, 'GRAPH_FORBIDDEN')
  );
}

/** Wraps a provider so that anything it throws other than an AppError becomes TOKEN_UNAVAILABLE. */
export function strictTokenProvider(provider: DelegatedTokenProvider): DelegatedTokenProvider {
  return {
    async getToken(tenantId, userId) {
      try {
        return await provider.getToken(tenantId, userId);
      } catch (error) {
        if (isAppError(error)) throw error;
        throw new AppError('TOKEN_UNAVAILABLE', 'the token provider failed', { cause: error });
      }
    },
  };
}
