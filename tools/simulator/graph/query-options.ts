import type { Next, Request, RequestHandler, Response } from 'restify';
import { GraphError, sendGraphError } from '../http/graph-error';
import { queryOf } from '../http/request-input';

/** The OData system query options one operation serves, and the error code Graph refuses others with. */
interface QueryRule {
  readonly allowed: readonly string[];
  readonly code: 'BadRequest' | 'Request_UnsupportedQuery';
}

const NONE: QueryRule = { allowed: [], code: 'BadRequest' };
const DIRECTORY_ENTITY: QueryRule = { allowed: ['$select'], code: 'Request_UnsupportedQuery' };
const DIRECTORY_LIST: QueryRule = {
  allowed: ['$filter', '$search', '$select', '$top', '$count', '$skiptoken'],
  code: 'Request_UnsupportedQuery',
};

/** Per `METHOD path` (route paths without the version prefix); unlisted routes take no options. */
const RULES = new Map<string, QueryRule>([
  ['GET /users', DIRECTORY_LIST],
  ['GET /users/:id', DIRECTORY_ENTITY],
  ['GET /me', DIRECTORY_ENTITY],
]);

function refusal(option: string, rule: QueryRule): GraphError {
  const message =
    rule.code === 'BadRequest'
      ? `Query option '${option}' is not allowed for this operation.`
      : `Unsupported query option '${option}'.`;
  return new GraphError(400, rule.code, message);
}

/**
 * restify middleware (runs after routing): a Graph route given an OData system query option
 * (`$name`) it does not serve answers Graph's 400 instead of ignoring it.
 */
export function queryOptionGuard(routePrefix: string): RequestHandler {
  return (req: Request, res: Response, next: Next) => {
    const route = req.getRoute();
    const path = typeof route?.path === 'string' ? route.path : '';
    if (!path.startsWith(routePrefix)) return next();
    const rule = RULES.get(`${req.method ?? 'GET'} ${path.slice(routePrefix.length)}`) ?? NONE;
    for (const name of queryOf(req).keys()) {
      if (!name.startsWith('$')) continue;
      if (rule.allowed.includes(name.toLowerCase())) continue;
      sendGraphError(res, refusal(name, rule));
      return next(false);
    }
    next();
  };
}
