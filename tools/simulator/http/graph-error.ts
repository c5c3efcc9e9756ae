import { randomUUID } from 'node:crypto';
import type { Response } from 'restify';

/** The `{error: {code, message}}` body Graph and the token service answer errors with. */
export interface SimulatorErrorBody {
  error: { code: string; message: string; innerError?: Record<string, string> };
}

/** Graph's JSON error body; with a `requestId`, Graph's `innerError` too. */
export function graphErrorBody(
  code: string,
  message: string,
  requestId?: string,
): SimulatorErrorBody {
  if (requestId === undefined) return { error: { code, message } };
  const date = new Date().toISOString().replace(/\.\d+Z$/, '');
  const innerError = { date, 'request-id': requestId, 'client-request-id': requestId };
  return { error: { code, message, innerError } };
}

/** An error Graph would answer with: HTTP status, Graph error code, message, extra headers. */
export class GraphError extends Error {
  override readonly name: string = 'GraphError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  /** The error in Graph's JSON error format, without `innerError`. */
  toErrorBody(): SimulatorErrorBody {
    return graphErrorBody(this.code, this.message);
  }
}

/** Sends `error` the way Graph does (status, headers, JSON error body with a request id). */
export function sendGraphError(res: Response, error: GraphError): void {
  const requestId = randomUUID();
  res.header('request-id', requestId);
  for (const [name, value] of Object.entries(error.headers)) res.header(name, value);
  res.send(error.status, graphErrorBody(error.code, error.message, requestId));
}

/** 400 with Graph's generic request error code. */
export function badRequest(message: string, code = 'BadRequest'): GraphError {
  return new GraphError(400, code, message);
}

/** 400 `InvalidRequest`: a subscription request Graph refuses. */
export function invalidRequest(message: string): GraphError {
  return badRequest(message, 'InvalidRequest');
}

/** 404 for a missing resource. */
export function notFound(message: string, code = 'ResourceNotFound'): GraphError {
  return new GraphError(404, code, message);
}
