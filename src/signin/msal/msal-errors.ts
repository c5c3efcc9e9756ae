import { AuthError, InteractionRequiredAuthError } from '@azure/msal-node';
import { AppError, isAppError } from '../../errors/app-error';

/** How an MSAL failure reads: Entra wants the user (consent, interaction), refused the grant, refused us, or was not reachable. */
type MsalFailure = 'interaction' | 'grant-refused' | 'client-refused' | 'unavailable';

const CLIENT_ERRORS = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_request',
  'invalid_scope',
]);

function classifyMsalFailure(error: unknown): MsalFailure {
  if (error instanceof InteractionRequiredAuthError) return 'interaction';
  if (error instanceof AuthError) {
    if (error.errorCode === 'invalid_grant') return 'grant-refused';
    if (CLIENT_ERRORS.has(error.errorCode)) return 'client-refused';
  }
  return 'unavailable';
}

/** The Entra error code (e.g. `invalid_grant`) and sub-error of an MSAL failure, safe to log. */
export function msalErrorFields(error: unknown): { errorCode?: string; subError?: string } {
  if (!(error instanceof AuthError)) return {};
  return { errorCode: error.errorCode, ...(error.subError ? { subError: error.subError } : {}) };
}

/** The AppError a failed sign-in (on-behalf-of or code redemption) becomes. */
export function signInError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const failure = classifyMsalFailure(error);
  if (failure === 'interaction') {
    return new AppError('SIGN_IN_CONSENT_REQUIRED', undefined, { cause: error });
  }
  if (failure === 'unavailable')
    return new AppError('ENTRA_UNAVAILABLE', undefined, { cause: error });
  return new AppError('SIGN_IN_FAILED', msalErrorFields(error).errorCode, { cause: error });
}

/**
 * The AppError a failed background token request becomes: revoked or lapsed grants, and a cache
 * partition that no longer opens, mean "sign in again" (a new sign-in replaces the partition).
 */
export function silentTokenError(error: unknown): AppError {
  if (isAppError(error, 'SECRET_BOX_FAILED')) {
    return new AppError('TOKEN_UNAVAILABLE', 'the cache partition does not open', { cause: error });
  }
  if (isAppError(error)) return error;
  const failure = classifyMsalFailure(error);
  if (failure === 'interaction' || failure === 'grant-refused') {
    return new AppError('TOKEN_UNAVAILABLE', msalErrorFields(error).errorCode, { cause: error });
  }
  if (failure === 'client-refused') {
    return new AppError('SIGN_IN_FAILED', msalErrorFields(error).errorCode, { cause: error });
  }
  return new AppError('ENTRA_UNAVAILABLE', undefined, { cause: error });
}
