import { randomUUID } from 'node:crypto';
import type { Response } from 'restify';

/** An error Graph would answer with: HTTP status, Graph error code, message, extra headers. */
export class GraphError extends Error {
  override readonly name = 'GraphError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Graph's JSON error body: `{"error":{"code","message","innerError":{...}}}`. */
export function graphErrorBody(code: string, message: string, requestId: string): object {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d+Z$/, ''),
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  };
}

/** Sends `error` the way Graph does (status, headers, JSON error body). */
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

/** 404 for a missing resource. */
export function notFound(message: string, code = 'ResourceNotFound'): GraphError {
  return new GraphError(404, code, message);
}
