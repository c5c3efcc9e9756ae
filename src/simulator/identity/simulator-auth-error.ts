/** The `{error: {code, message}}` body Microsoft Graph and the token service answer errors with. */
export interface SimulatorErrorBody {
  error: { code: string; message: string };
}

/** A rejected token or grant, carrying the HTTP status and the service's error code. */
export class SimulatorAuthError extends Error {
  override readonly name = 'SimulatorAuthError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The error in Graph's JSON error format. */
  toErrorBody(): SimulatorErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** A Graph 401 for a token that is malformed, forged, expired, revoked or meant for someone else. */
export function invalidAuthenticationToken(message: string): SimulatorAuthError {
  return new SimulatorAuthError(401, 'InvalidAuthenticationToken', message);
}

/** An OAuth `invalid_grant`: the refresh token or code is unknown, expired or revoked. */
export function invalidGrant(message: string): SimulatorAuthError {
  return new SimulatorAuthError(400, 'invalid_grant', message);
}
