import type { Request, Response } from 'restify';
import type { SimUser } from '../directory/sim-user';
import { badRequest, GraphError, notFound } from '../http/graph-error';
import type { GraphRouteDeps } from './graph-route-deps';
import { queryOf, queryValue, routeParam } from '../http/request-input';
import { simRoute } from '../http/sim-route';
import { authenticate, requireScope } from './request-auth';
import { parseUserFilter, parseUserSearch } from './user-filter';
import { projectUser, selectedProperties } from './user-projection';

const READ_USERS = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
];
const READ_ME = ['User.Read', ...READ_USERS];
const DEFAULT_PAGE = 100;

function pageSize(req: Request): number {
  const top = queryValue(req, '$top');
  if (top === undefined) return DEFAULT_PAGE;
  const size = Number(top);
  if (!Number.isInteger(size) || size < 1 || size > 999) {
    throw new GraphError(400, 'Request_UnsupportedQuery', 'Invalid page size specified.');
  }
  return size;
}

function matchingUsers(req: Request, users: SimUser[]): SimUser[] {
  const filter = queryValue(req, '$filter');
  const search = queryValue(req, '$search');
  let result = users;
  if (search !== undefined) {
    if ((req.header('consistencylevel') ?? '').toLowerCase() !== 'eventual') {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
      );
    }
    result = result.filter(parseUserSearch(search));
  }
  if (filter !== undefined) result = result.filter(parseUserFilter(filter));
  return result;
}

function nextLink(req: Request, base: string, offset: number): string {
  const query = [...queryOf(req)]
    .filter(([name]) => name !== '$skiptoken')
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  query.push(`$skiptoken=${Buffer.from(String(offset)).toString('base64url')}`);
  return `${base}/users?${query.join('&')}`;
}

function skipOffset(req: Request): number {
  const token = queryValue(req, '$skiptoken');
  if (token === undefined) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid $skiptoken.');
  return offset;
}

async function listUsers(deps: GraphRouteDeps, req: Request, res: Response): Promise<void> {
  requireScope(await authenticate(req, deps.verifier), READ_USERS);
  const properties = selectedProperties(queryValue(req, '$select'));
  const size = pageSize(req);
  const offset = skipOffset(req);
  const all = matchingUsers(req, deps.directory.listUsers());
  const page = all.slice(offset, offset + size);
  const body: Record<string, unknown> = {
    '@odata.context': `${deps.graphBaseUrl()}/$metadata#users`,
    value: page.map((user) => projectUser(user, properties)),
  };
  if (queryValue(req, '$count') === 'true') body['@odata.count'] = all.length;
  if (offset + size < all.length)
    body['@odata.nextLink'] = nextLink(req, deps.graphBaseUrl(), offset + size);
  res.send(200, body);
}

function sendUser(deps: GraphRouteDeps, req: Request, res: Response, user: SimUser): void {
  res.send(200, {
    '@odata.context': `${deps.graphBaseUrl()}/$metadata#users/$entity`,
    ...projectUser(user, selectedProperties(queryValue(req, '$select'))),
  });
}

/**
 * Registers `GET /users`, `GET /users/{id}`, `GET /me`. `/users/{id}` also takes the Agents
 * Playground's id of its six people (`user-id-1`): the Playground's people picker returns those
 * where Teams returns Entra object ids, and the simulated directory stands in for that mapping.
 */
export function registerUserRoutes(deps: GraphRouteDeps): void {
  const { server, prefix, logger } = deps;
  server.get(
    `${prefix}/users`,
    simRoute(logger, (req, res) => listUsers(deps, req, res)),
  );
  server.get(
    `${prefix}/users/:id`,
    simRoute(logger, async (req, res) => {
      requireScope(await authenticate(req, deps.verifier), READ_USERS);
      const id = routeParam(req, 'id');
      const user = deps.directory.findUser(id) ?? deps.directory.findByPlaygroundId(id);
      if (!user)
        throw notFound(
          `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
          'Request_ResourceNotFound',
        );
      sendUser(deps, req, res, user);
    }),
  );
  server.get(
    `${prefix}/me`,
    simRoute(logger, async (req, res) => {
      const caller = await authenticate(req, deps.verifier);
      requireScope(caller, READ_ME);
      const user = deps.directory.findUser(caller.userId);
      if (!user)
        throw notFound(`Resource '${caller.userId}' does not exist.`, 'Request_ResourceNotFound');
      sendUser(deps, req, res, user);
    }),
  );
}
