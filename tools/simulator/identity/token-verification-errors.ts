import { errors } from 'jose';
import { invalidAuthenticationToken, type SimulatorAuthError } from './simulator-auth-error';

/** Graph's messages for the ways a bearer token fails. */
export const TOKEN_FAILURE_MESSAGES = {
  malformed: 'CompactToken parsing failed with error code: 80049217',
  signature: 'Access token validation failure. Invalid signature.',
  audience: 'Access token validation failure. Invalid audience.',
  issuer: 'Access token validation failure. Invalid issuer.',
  lifetime: 'Lifetime validation failed, the token is expired.',
  notYetValid: 'Access token has expired or is not yet valid.',
  revoked: 'Access token validation failure. The token has been revoked.',
} as const;

function claimFailureMessage(claim: string): string {
  if (claim === 'aud') return TOKEN_FAILURE_MESSAGES.audience;
  if (claim === 'iss') return TOKEN_FAILURE_MESSAGES.issuer;
  if (claim === 'nbf') return TOKEN_FAILURE_MESSAGES.notYetValid;
  return TOKEN_FAILURE_MESSAGES.malformed;
}

/** Turns a jose verification failure into Graph's 401. */
export function toInvalidTokenError(error: unknown): SimulatorAuthError {
  if (error instanceof errors.JWTExpired) {
    return invalidAuthenticationToken(TOKEN_FAILURE_MESSAGES.lifetime);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalidAuthenticationToken(claimFailureMessage(error.claim));
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalidAuthenticationToken(TOKEN_FAILURE_MESSAGES.signature);
  }
  return invalidAuthenticationToken(TOKEN_FAILURE_MESSAGES.malformed);
}
