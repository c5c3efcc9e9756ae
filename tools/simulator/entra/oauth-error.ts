import { randomUUID } from 'node:crypto';
import type { Response } from 'restify';
import { sendJson } from '../http/responses';

/** An OAuth error as Entra answers it: `error`, an AADSTS code, and optionally a `suberror`. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    description: string,
    readonly suberror?: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }
}

/** Sends Entra's error body: `error`, `error_description`, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `suberror`. */
export function sendOAuthError(res: Response, error: OAuthError): void {
  const body: Record<string, unknown> = {
    error: error.error,
    error_description: `${error.message}\r\nTrace ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
    error_codes: [error.aadsts],
    timestamp: new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z'),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
  };
  if (error.suberror !== undefined) body.suberror = error.suberror;
  sendJson(res, error.status, body);
}

/** `invalid_request` (400) with an AADSTS code. */
export function invalidRequest(aadsts: number, description: string): OAuthError {
  return new OAuthError(400, 'invalid_request', aadsts, description);
}

/** `invalid_grant` (400): a code, refresh token or assertion that cannot be used. */
export function invalidGrant(aadsts: number, description: string, suberror?: string): OAuthError {
  return new OAuthError(400, 'invalid_grant', aadsts, description, suberror);
}

/** `invalid_client` (401): the client failed to authenticate. */
export function invalidClient(aadsts: number, description: string): OAuthError {
  return new OAuthError(401, 'invalid_client', aadsts, description);
}
