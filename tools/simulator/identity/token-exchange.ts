import { decodeJwt } from 'jose';
import type { Request, Response } from 'restify';
import type { IdentityContext } from './identity-context';
import { queryOf, readBody } from '../http/request-input';
import { sendError, sendJson } from '../http/responses';
import { SimulatorAuthError } from './simulator-auth-error';
import { GRAPH_AUDIENCE, PRESENCE_WATCH_SCOPES } from './token-claims';
import { tokenResponse } from './token-response';

const SSO_AUDIENCE = /^api:\/\/(?:[^/]+\/)?botid-(.+)$/;

/** The bot app the exchanged token is meant for, from an SSO token's `aud` or a Graph token's `appid`. */
function audienceOf(token: string): string | undefined {
  try {
    const aud = decodeJwt(token).aud;
    return typeof aud === 'string' ? aud : undefined;
  } catch {
    return undefined;
  }
}

class ExchangeRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function exchangeableIdentity(
  ctx: IdentityContext,
  token: string,
): Promise<{ userId: string; appId: string }> {
  const audience = audienceOf(token);
  const ssoMatch = audience === undefined ? null : SSO_AUDIENCE.exec(audience);
  if (!ssoMatch && audience !== GRAPH_AUDIENCE) {
    throw new ExchangeRefused(
      400,
      'InvalidToken',
      'The token cannot be exchanged for this connection.',
    );
  }
  const verified = await ctx.authority.verify(token, { audience }).catch((error: unknown) => {
    if (error instanceof SimulatorAuthError)
      throw new ExchangeRefused(400, 'InvalidToken', error.message);
    throw error;
  });
  return { userId: verified.userId, appId: ssoMatch?.[1] ?? verified.appId };
}

function exchangeRequestToken(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const token = (body as { token?: unknown }).token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

async function performExchange(
  ctx: IdentityContext,
  req: Request,
): Promise<Record<string, string>> {
  const query = queryOf(req);
  const channelUserId = query.get('userId');
  const connectionName = query.get('connectionName');
  if (!channelUserId || !connectionName) {
    throw new ExchangeRefused(
      400,
      'BadArgument',
      'The userId and connectionName parameters are required.',
    );
  }
  const token = exchangeRequestToken(await readBody(req).catch(() => undefined));
  if (!token)
    throw new ExchangeRefused(400, 'BadArgument', 'The exchange request carries no token.');
  const identity = await exchangeableIdentity(ctx, token);
  const user = ctx.directory.findUser(identity.userId);
  const channelUser = ctx.directory.findUser(channelUserId);
  if (!user || (channelUser && channelUser.id !== user.id)) {
    throw new ExchangeRefused(400, 'InvalidToken', 'The token does not belong to this user.');
  }
  if (!ctx.authority.hasConsent(user.id, identity.appId)) {
    throw new ExchangeRefused(
      400,
      'ConsentRequired',
      'The user has not consented to this application.',
    );
  }
  const issued = await ctx.authority.issue({
    userId: user.id,
    tenantId: ctx.tenantId,
    appId: identity.appId,
    scopes: [...PRESENCE_WATCH_SCOPES],
    name: user.displayName,
    upn: user.userPrincipalName,
  });
  const channelId = query.get('channelId') ?? '';
  const entry = {
    channelUserId,
    connectionName,
    channelId,
    userId: user.id,
    appId: identity.appId,
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: issued.expiresAt,
  };
  ctx.store.put(entry);
  ctx.logger.info({ userId: user.id }, 'token exchanged');
  return tokenResponse(entry, channelId);
}

/** POST /api/usertoken/exchange: trades an SSO (or Graph) token the simulator issued for the user's Graph token. */
export async function exchangeToken(
  ctx: IdentityContext,
  req: Request,
  res: Response,
): Promise<void> {
  try {
    sendJson(res, 200, await performExchange(ctx, req));
  } catch (error) {
    if (!(error instanceof ExchangeRefused)) throw error;
    ctx.logger.info({ code: error.code }, 'token exchange refused');
    sendError(res, error.status, error.code, error.message);
  }
}
