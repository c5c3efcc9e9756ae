import { randomUUID } from 'node:crypto';
import { GraphError } from '../http/graph-error';

/** Graph's limit for answering a validation request. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

function withValidationToken(url: string, token: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}validationToken=${encodeURIComponent(token)}`;
}

function failed(reason: string): GraphError {
  return new GraphError(
    400,
    'ValidationError',
    `Subscription validation request failed. ${reason}`,
  );
}

/** A fresh opaque validation token shaped like Graph's (spaces and colons included). */
export function newValidationToken(): string {
  return `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
}

/**
 * Sends Graph's validation request to `url` and insists on 200, `text/plain` and the exact token,
 * within `timeoutMs`; otherwise the 400 Graph answers the subscription request with.
 */
export async function validateEndpoint(
  url: string,
  timeoutMs = HANDSHAKE_TIMEOUT_MS,
): Promise<void> {
  const token = newValidationToken();
  let response: Response;
  let body: string;
  try {
    response = await fetch(withValidationToken(url, token), {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch {
    throw failed(`The notification endpoint did not answer within ${timeoutMs / 1000} seconds.`);
  }
  if (response.status !== 200) {
    throw failed(
      `Notification endpoint must respond with 200 OK to validation request (got ${response.status}).`,
    );
  }
  if (!(response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/plain')) {
    throw failed('The response to the validation request must have Content-Type text/plain.');
  }
  if (body !== token) {
    throw failed('The response body must be the validation token, unmodified.');
  }
}
