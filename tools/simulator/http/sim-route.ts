import type { Request, Response } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import { GraphError, sendGraphError } from './graph-error';

/** A simulator route body: answers through `res`, or throws a GraphError. */
export type SimHandler = (req: Request, res: Response) => Promise<void> | void;

/** An async restify handler (restify calls `next` when the promise settles). */
export type SimRouteHandler = (req: Request, res: Response) => Promise<void>;

/** Wraps `handler`: a thrown GraphError becomes Graph's error answer, anything else a logged 500. */
export function simRoute(logger: Logger, handler: SimHandler): SimRouteHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof GraphError) return sendGraphError(res, error);
      logger.error({ err: error, route: req.getRoute()?.path }, 'simulator route failed');
      sendGraphError(res, new GraphError(500, 'InternalServerError', 'The simulator failed.'));
    }
  };
}
