import type { Next, Request, RequestHandler, Response } from 'restify';
import type { Logger } from '../../logging/logger';
import { GraphError, sendGraphError } from './graph-error';

/** A Graph route body: resolves after it has answered, or throws a GraphError. */
export type GraphHandler = (req: Request, res: Response) => Promise<void>;

/** Wraps a handler so GraphErrors become Graph error answers and anything else a 500. */
export function graphRoute(handler: GraphHandler, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: Next) => {
    handler(req, res).then(
      () => next(),
      (error: unknown) => {
        if (error instanceof GraphError) {
          sendGraphError(res, error);
        } else {
          logger.error({ err: error, path: req.path() }, 'simulator route failed');
          sendGraphError(res, new GraphError(500, 'InternalServerError', 'The simulator failed.'));
        }
        next();
      },
    );
  };
}

/** Reads a route parameter that restify guarantees for the route. */
export function routeParam(req: Request, name: string): string {
  const value: unknown = (req.params as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new GraphError(400, 'BadRequest', `Missing ${name}.`);
  }
  return decodeURIComponent(value);
}

/** Reads one query-string value (restify's queryParser puts them on `req.query`). */
export function queryValue(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The parsed JSON body as an object, or a 400. */
export function jsonBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'Empty or invalid JSON payload.');
  }
  return body as Record<string, unknown>;
}
