import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response, Server } from 'restify';
import { readBody } from '../http/request-input';
import { sendJson } from '../http/responses';
import { authenticateClient } from './client-authentication';
import { isThisTenant, type EntraContext } from './entra-context';
import { invalidRequest, OAuthError, sendOAuthError } from './oauth-error';
import {
  authorizationCodeGrant,
  onBehalfOfGrant,
  refreshTokenGrant,
  tokenResponseBody,
  unsupportedGrant,
  type GrantResult,
} from './token-grants';
import type { RegisteredApp } from './app-registrations';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function readForm(req: Request): Promise<Record<string, string>> {
  if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    throw invalidRequest(900144, 'The request body must be application/x-www-form-urlencoded.');
  }
  const body = (await readBody(req).catch(() => undefined)) as Record<string, unknown> | undefined;
  return Object.fromEntries(Object.entries(body ?? {}).map(([k, v]) => [k, String(v)]));
}

function runGrant(
  ctx: EntraContext,
  app: RegisteredApp,
  form: Record<string, string>,
): Promise<GrantResult> {
  if (form.grant_type === 'authorization_code') return authorizationCodeGrant(ctx, app, form);
  if (form.grant_type === 'refresh_token') return refreshTokenGrant(ctx, app, form);
  if (form.grant_type === JWT_BEARER) return onBehalfOfGrant(ctx, app, form);
  throw unsupportedGrant(form.grant_type);
}

async function token(ctx: EntraContext, req: Request, res: Response): Promise<void> {
  const tenant = String(req.params.tenant);
  if (ctx.tokenLatencyMs() > 0) await sleep(ctx.tokenLatencyMs());
  try {
    if (!isThisTenant(ctx, tenant)) throw invalidRequest(90002, `Tenant '${tenant}' not found.`);
    const form = await readForm(req);
    const endpoint = `${ctx.url()}/${tenant}/oauth2/v2.0/token`;
    const app = await authenticateClient(ctx.apps, form, endpoint, Date.now());
    const result = await runGrant(ctx, app, form);
    ctx.logger.info(
      { grant: form.grant_type, userId: result.userId, clientId: app.clientId },
      'entra token issued',
    );
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, 200, await tokenResponseBody(ctx, app, result, form));
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    ctx.logger.info({ error: error.error, aadsts: error.aadsts }, 'entra token refused');
    sendOAuthError(res, error);
  }
}

/** Mounts the v2 token endpoint: `POST /{tenant}/oauth2/v2.0/token` (authorization_code, refresh_token, on-behalf-of). */
export function registerTokenEndpoint(server: Server, ctx: EntraContext): void {
  server.post('/:tenant/oauth2/v2.0/token', async (req: Request, res: Response) =>
    token(ctx, req, res),
  );
}
