import type { Request, Response, Server } from 'restify';
import type { IdentityContext } from './identity-context';
import { readBody } from '../http/request-input';
import { sendJson } from '../http/responses';
import { simRoute } from '../http/sim-route';
import { SimulatorAuthError } from './simulator-auth-error';

function oauthError(res: Response, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

async function grantToken(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  if (
    req.params.tenant !== ctx.tenantId &&
    !['common', 'organizations'].includes(String(req.params.tenant))
  ) {
    return oauthError(
      res,
      400,
      'invalid_request',
      `AADSTS90002: Tenant '${String(req.params.tenant)}' not found.`,
    );
  }
  const form = (await readBody(req).catch(() => undefined)) as Record<string, unknown> | undefined;
  if (form?.grant_type !== 'refresh_token') {
    return oauthError(
      res,
      400,
      'unsupported_grant_type',
      'AADSTS70003: Only the refresh_token grant is supported.',
    );
  }
  if (typeof form.refresh_token !== 'string') {
    return oauthError(
      res,
      400,
      'invalid_request',
      "AADSTS900144: The request body must contain 'refresh_token'.",
    );
  }
  try {
    const issued = await ctx.authority.refresh(form.refresh_token);
    const expiresIn = Math.round((issued.expiresAt - ctx.now()) / 1000);
    sendJson(res, 200, {
      token_type: 'Bearer',
      scope: issued.scopes.join(' '),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
    });
  } catch (error) {
    if (!(error instanceof SimulatorAuthError)) throw error;
    oauthError(res, error.status, error.code, error.message);
  }
}

/** Mounts an Entra-shaped token endpoint (`POST /{tenant}/oauth2/v2.0/token`) for the refresh_token grant. */
export function registerOAuthTokenRoutes(server: Server, ctx: IdentityContext): void {
  server.post(
    '/:tenant/oauth2/v2.0/token',
    simRoute(ctx.logger, (req, res) => grantToken(ctx, req, res)),
  );
}
