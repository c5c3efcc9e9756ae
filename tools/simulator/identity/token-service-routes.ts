import { randomUUID } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { IdentityContext } from './identity-context';
import { queryOf, readBody } from '../http/request-input';
import { sendError, sendJson, sendText } from '../http/responses';
import { simRoute } from '../http/sim-route';
import { exchangeToken } from './token-exchange';
import { decodeTokenExchangeState, stateAppId } from './token-exchange-state';
import { GRAPH_AUDIENCE, ssoAudience } from './token-claims';
import { tokenResponse } from './token-response';

/** Reads required query parameters; answers 400 and returns undefined when one is missing. */
function requireQuery<K extends string>(
  req: Request,
  res: Response,
  names: K[],
): Record<K, string> | undefined {
  const query = queryOf(req);
  const values = {} as Record<K, string>;
  for (const name of names) {
    const value = query.get(name);
    if (!value) {
      sendError(res, 400, 'BadArgument', `The ${name} parameter is required.`);
      return undefined;
    }
    values[name] = value;
  }
  return values;
}

/** The token service answers "no token" with an empty 404: botbuilder treats any body as a token. */
function sendNoToken(res: Response): void {
  res.send(404);
}

async function lookUpToken(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  const args = requireQuery(req, res, ['userId', 'connectionName']);
  if (!args) return;
  const query = queryOf(req);
  const channelId = query.get('channelId') ?? '';
  const code = query.get('code');
  const redeemed = code ? ctx.signIn.redeem(args.userId, args.connectionName, code) : undefined;
  if (redeemed) ctx.logger.info({ userId: redeemed.userId }, 'magic code redeemed');
  const entry = redeemed ?? (await ctx.store.get(args.userId, args.connectionName));
  if (!entry) return sendNoToken(res);
  sendJson(res, 200, tokenResponse(entry, channelId));
}

async function lookUpAadTokens(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  const args = requireQuery(req, res, ['userId', 'connectionName']);
  if (!args) return;
  const body = (await readBody(req).catch(() => undefined)) as
    { resourceUrls?: unknown } | undefined;
  const resourceUrls = Array.isArray(body?.resourceUrls) ? body.resourceUrls.map(String) : [];
  const entry = await ctx.store.get(args.userId, args.connectionName);
  if (!entry)
    return sendError(res, 404, 'TokenNotFound', 'The user has no token for this connection.');
  const channelId = queryOf(req).get('channelId') ?? '';
  const graphUrls = resourceUrls.filter((url) => url.replace(/\/+$/, '') === GRAPH_AUDIENCE);
  sendJson(
    res,
    200,
    Object.fromEntries(graphUrls.map((url) => [url, tokenResponse(entry, channelId)])),
  );
}

function signOut(ctx: IdentityContext, req: Request, res: Response): void {
  const args = requireQuery(req, res, ['userId']);
  if (!args) return;
  const removed = ctx.store.remove(args.userId, queryOf(req).get('connectionName') ?? undefined);
  ctx.logger.info({ removed }, 'token service sign-out');
  res.send(204);
}

function tokenStatus(ctx: IdentityContext, req: Request, res: Response): void {
  const args = requireQuery(req, res, ['userId']);
  if (!args) return;
  const include = (queryOf(req).get('include') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  const wanted = (name: string): boolean =>
    include.every((n) => n === '') || include.includes(name.toLowerCase());
  const statuses = ctx.store
    .entriesOf(args.userId)
    .filter((entry) => wanted(entry.connectionName))
    .map((entry) => ({
      channelId: entry.channelId,
      connectionName: entry.connectionName,
      hasToken: true,
      serviceProviderDisplayName: 'Azure Active Directory v2',
    }));
  sendJson(res, 200, statuses);
}

function signInLink(ctx: IdentityContext, state: string): string {
  return `${ctx.publicUrl()}/signin?state=${encodeURIComponent(state)}`;
}

function signInResource(ctx: IdentityContext, req: Request, res: Response): void {
  const args = requireQuery(req, res, ['state']);
  if (!args) return;
  const decoded = decodeTokenExchangeState(args.state);
  if (!decoded)
    return sendError(res, 400, 'BadArgument', 'The state is not a token exchange state.');
  sendJson(res, 200, {
    signInLink: signInLink(ctx, args.state),
    tokenExchangeResource: {
      id: randomUUID(),
      uri: ssoAudience(stateAppId(decoded)),
      providerId: 'AzureAD',
    },
  });
}

function signInUrl(ctx: IdentityContext, req: Request, res: Response): void {
  const args = requireQuery(req, res, ['state']);
  if (!args) return;
  if (!decodeTokenExchangeState(args.state)) {
    return sendError(res, 400, 'BadArgument', 'The state is not a token exchange state.');
  }
  sendText(res, 200, signInLink(ctx, args.state));
}

/** Mounts the Bot Framework Token Service API that botbuilder's UserTokenClient calls. */
export function registerTokenServiceRoutes(server: Server, ctx: IdentityContext): void {
  const route = (handler: (req: Request, res: Response) => Promise<void> | void) =>
    simRoute(ctx.logger, handler);
  server.get(
    '/api/usertoken/GetToken',
    route((req, res) => lookUpToken(ctx, req, res)),
  );
  server.post(
    '/api/usertoken/GetAadTokens',
    route((req, res) => lookUpAadTokens(ctx, req, res)),
  );
  server.del(
    '/api/usertoken/SignOut',
    route((req, res) => signOut(ctx, req, res)),
  );
  server.get(
    '/api/usertoken/GetTokenStatus',
    route((req, res) => tokenStatus(ctx, req, res)),
  );
  server.post(
    '/api/usertoken/exchange',
    route((req, res) => exchangeToken(ctx, req, res)),
  );
  server.get(
    '/api/botsignin/GetSignInResource',
    route((req, res) => signInResource(ctx, req, res)),
  );
  server.get(
    '/api/botsignin/GetSignInUrl',
    route((req, res) => signInUrl(ctx, req, res)),
  );
}
