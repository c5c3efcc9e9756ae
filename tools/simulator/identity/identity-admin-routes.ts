import type { Request, Response, Server } from 'restify';
import type { IdentityContext } from './identity-context';
import { optionalJsonBody } from '../http/request-input';
import { sendError, sendJson } from '../http/responses';
import { simRoute } from '../http/sim-route';
import { PRESENCE_WATCH_SCOPES } from './token-claims';

function resolveUserId(ctx: IdentityContext, idOrAadObjectId: string): string {
  return ctx.directory.findUser(idOrAadObjectId)?.id ?? idOrAadObjectId;
}

function listConsents(ctx: IdentityContext, res: Response): void {
  const value = ctx.authority.consentedUsers().map((record) => ({
    ...record,
    displayName: ctx.directory.findUser(record.userId)?.displayName,
    grantedAt: new Date(record.grantedAt).toISOString(),
  }));
  sendJson(res, 200, { value });
}

function revokeConsent(ctx: IdentityContext, req: Request, res: Response): void {
  const userId = resolveUserId(ctx, String(req.params.userId));
  if (!ctx.authority.revokeConsent(userId)) {
    return sendError(res, 404, 'NotFound', 'The user has no consent to revoke.');
  }
  ctx.logger.info({ userId }, 'consent revoked by admin');
  res.send(204);
}

function expireTokens(ctx: IdentityContext, req: Request, res: Response): void {
  const userId = resolveUserId(ctx, String(req.params.userId));
  const expiredAccessTokens = ctx.authority.expireTokensNow(userId);
  ctx.logger.info({ userId, expiredAccessTokens }, 'tokens expired by admin');
  sendJson(res, 200, { userId, expiredAccessTokens });
}

async function issueSsoToken(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  const body = await optionalJsonBody(req);
  const user = typeof body.userId === 'string' ? ctx.directory.findUser(body.userId) : undefined;
  if (!user || typeof body.botAppId !== 'string') {
    return sendError(res, 400, 'BadArgument', 'A known userId and a botAppId are required.');
  }
  const token = await ctx.authority.issueSsoToken({ userId: user.id, botAppId: body.botAppId });
  sendJson(res, 200, { token });
}

async function issueGraphToken(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  const body = await optionalJsonBody(req);
  const user = ctx.directory.findUser(String(req.params.userId));
  if (!user || typeof body.appId !== 'string') {
    return sendError(res, 400, 'BadArgument', 'A known user and an appId are required.');
  }
  const scopes = Array.isArray(body.scopes) ? body.scopes.map(String) : [...PRESENCE_WATCH_SCOPES];
  const issued = await ctx.authority.issue({
    userId: user.id,
    tenantId: ctx.tenantId,
    appId: body.appId,
    scopes,
    lifetimeSeconds: typeof body.lifetimeSeconds === 'number' ? body.lifetimeSeconds : undefined,
    name: user.displayName,
    upn: user.userPrincipalName,
  });
  sendJson(res, 200, { ...issued, expiresAt: new Date(issued.expiresAt).toISOString() });
}

/**
 * Mounts the identity admin API: `GET /_sim/identity/consents`, `DELETE /_sim/identity/consents/:userId`,
 * `POST /_sim/identity/users/:userId/expire-tokens`, `POST /_sim/identity/users/:userId/tokens`
 * (consent and a Graph token pair without the sign-in page) and `POST /_sim/identity/sso-tokens`.
 */
export function registerIdentityAdminRoutes(server: Server, ctx: IdentityContext): void {
  const route = (handler: (req: Request, res: Response) => Promise<void> | void) =>
    simRoute(ctx.logger, handler);
  server.get(
    '/_sim/identity/consents',
    route((_req, res) => listConsents(ctx, res)),
  );
  server.del(
    '/_sim/identity/consents/:userId',
    route((req, res) => revokeConsent(ctx, req, res)),
  );
  server.post(
    '/_sim/identity/users/:userId/expire-tokens',
    route((req, res) => expireTokens(ctx, req, res)),
  );
  server.post(
    '/_sim/identity/users/:userId/tokens',
    route((req, res) => issueGraphToken(ctx, req, res)),
  );
  server.post(
    '/_sim/identity/sso-tokens',
    route((req, res) => issueSsoToken(ctx, req, res)),
  );
}
