import { GraphError } from '../http/graph-error';

/** A rejected token or grant: a GraphError carrying the HTTP status and the service's error code. */
export class SimulatorAuthError extends GraphError {
  override readonly name: string = 'SimulatorAuthError';
}

/** A Graph 401 for a token that is malformed, forged, expired, revoked or meant for someone else. */
export function invalidAuthenticationToken(message: string): SimulatorAuthError {
  return new SimulatorAuthError(401, 'InvalidAuthenticationToken', message);
}

/** An OAuth `invalid_grant`: the refresh token or code is unknown, expired or revoked. */
export function invalidGrant(message: string): SimulatorAuthError {
  return new SimulatorAuthError(400, 'invalid_grant', message);
}
