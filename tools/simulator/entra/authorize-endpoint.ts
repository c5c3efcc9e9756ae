import type { Request, Response, Server } from 'restify';
import { queryOf } from '../http/request-input';
import { sendHtml } from '../http/responses';
import { accountPickerPage, consentPage, problemPage } from '../identity/sign-in-page';
import type { IdentityUser } from '../identity';
import type { RegisteredApp } from './app-registrations';
import { isThisTenant, type EntraContext } from './entra-context';
import { OAuthError } from './oauth-error';
import { readScopes, type RequestedScopes } from './requested-scopes';

/** A checked authorization request: who signs in to which app, and where the answer goes. */
interface AuthorizeRequest {
  app: RegisteredApp;
  user: IdentityUser;
  redirectUri: string;
  scopes: RequestedScopes;
  scope: string;
  codeChallenge: string;
  state?: string;
  nonce?: string;
}

/** A refusal shown on Entra's own page: the redirect URI cannot be trusted with it. */
class PageError extends Error {}

/** A refusal sent back to the (registered) redirect URI as `error`, `error_description`, `state`. */
class RedirectError extends Error {
  constructor(
    readonly redirectUri: string,
    readonly error: OAuthError,
    readonly state: string | undefined,
  ) {
    super(error.message);
  }
}

function checkedApp(
  ctx: EntraContext,
  query: URLSearchParams,
): { app: RegisteredApp; redirectUri: string } {
  const clientId = query.get('client_id') ?? '';
  const app = ctx.apps.find(clientId);
  if (!app)
    throw new PageError(
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
    );
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) {
    throw new PageError(
      `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
    );
  }
  return { app, redirectUri };
}

function checkedRequest(ctx: EntraContext, req: Request): AuthorizeRequest {
  const tenant = String(req.params.tenant);
  if (!isThisTenant(ctx, tenant)) throw new PageError(`AADSTS90002: Tenant '${tenant}' not found.`);
  const query = queryOf(req);
  const { app, redirectUri } = checkedApp(ctx, query);
  const state = query.get('state') ?? undefined;
  const refuse = (error: OAuthError): RedirectError => new RedirectError(redirectUri, error, state);
  if (query.get('response_type') !== 'code') {
    throw refuse(
      new OAuthError(400, 'unsupported_response_type', 700054, "response_type must be 'code'."),
    );
  }
  const codeChallenge = query.get('code_challenge') ?? '';
  if (codeChallenge === '' || query.get('code_challenge_method') !== 'S256') {
    throw refuse(
      new OAuthError(
        400,
        'invalid_request',
        9002325,
        'Proof Key for Code Exchange (code_challenge with code_challenge_method S256) is required.',
      ),
    );
  }
  const scope = query.get('scope') ?? '';
  let scopes: RequestedScopes;
  try {
    scopes = readScopes(scope);
  } catch (error) {
    throw error instanceof OAuthError ? refuse(error) : error;
  }
  const loginHint = query.get('login_hint') ?? '';
  const user = ctx.directory.findUser(loginHint);
  if (!user)
    throw new PageError(
      `AADSTS50034: The user account '${loginHint}' does not exist in the directory. Start the sign-in again from Teams to pick an account.`,
    );
  const nonce = query.get('nonce') ?? undefined;
  return {
    app,
    user,
    redirectUri,
    scopes,
    scope,
    codeChallenge,
    ...(state ? { state } : {}),
    ...(nonce ? { nonce } : {}),
  };
}

function redirectTo(
  res: Response,
  redirectUri: string,
  params: Record<string, string | undefined>,
): void {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) target.searchParams.set(name, value);
  res.setHeader('Location', target.toString());
  res.setHeader('Cache-Control', 'no-store');
  res.sendRaw(302, '');
}

function handle(res: Response, action: () => void | Promise<void>): Promise<void> {
  return Promise.resolve()
    .then(action)
    .catch((error: unknown) => {
      if (error instanceof PageError) return sendHtml(res, 400, problemPage(error.message));
      if (!(error instanceof RedirectError)) throw error;
      redirectTo(res, error.redirectUri, {
        error: error.error.error,
        error_description: error.error.message,
        state: error.state,
      });
    });
}

function showAccountPicker(ctx: EntraContext, req: Request, res: Response): void {
  const tenant = String(req.params.tenant);
  if (!isThisTenant(ctx, tenant)) throw new PageError(`AADSTS90002: Tenant '${tenant}' not found.`);
  checkedApp(ctx, queryOf(req));
  const hrefFor = (userPrincipalName: string): string => {
    const query = queryOf(req);
    query.set('login_hint', userPrincipalName);
    return `/${tenant}/oauth2/v2.0/authorize?${query.toString()}`;
  };
  sendHtml(res, 200, accountPickerPage(ctx.directory.listUsers(), hrefFor));
}

function showConsent(ctx: EntraContext, req: Request, res: Response): Promise<void> {
  return handle(res, () => {
    if (!queryOf(req).get('login_hint')) return showAccountPicker(ctx, req, res);
    const request = checkedRequest(ctx, req);
    const query = queryOf(req);
    const actionFor = (decision: string): string => {
      query.set('decision', decision);
      return `/${String(req.params.tenant)}/oauth2/v2.0/authorize/decision?${query.toString()}`;
    };
    sendHtml(
      res,
      200,
      consentPage(
        { user: request.user, appId: request.app.clientId, scopes: request.scopes.graph },
        actionFor,
      ),
    );
  });
}

function decide(ctx: EntraContext, req: Request, res: Response): Promise<void> {
  return handle(res, () => {
    const request = checkedRequest(ctx, req);
    if (queryOf(req).get('decision') !== 'accept') {
      return redirectTo(res, request.redirectUri, {
        error: 'access_denied',
        error_description: 'AADSTS65004: User declined to consent to access the app.',
        state: request.state,
      });
    }
    ctx.authority.recordConsent({
      userId: request.user.id,
      tenantId: ctx.tenantId,
      appId: request.app.clientId,
      scopes: request.scopes.graph,
    });
    const code = ctx.codes.mint({
      clientId: request.app.clientId,
      userId: request.user.id,
      redirectUri: request.redirectUri,
      scopes: request.scope.split(' ').filter(Boolean),
      codeChallenge: request.codeChallenge,
      ...(request.nonce ? { nonce: request.nonce } : {}),
    });
    ctx.logger.info(
      { userId: request.user.id, clientId: request.app.clientId },
      'entra consent granted',
    );
    redirectTo(res, request.redirectUri, { code, state: request.state });
  });
}

/**
 * Mounts the authorization endpoint: `GET /{tenant}/oauth2/v2.0/authorize` shows "Pick an account"
 * without a `login_hint`, else the consent page (PKCE S256 required, redirect URI checked against
 * the registration); Accept or Cancel posts to `/{tenant}/oauth2/v2.0/authorize/decision`, which
 * redirects with `code` (or `error`) and `state`.
 */
export function registerAuthorizeEndpoint(server: Server, ctx: EntraContext): void {
  server.get('/:tenant/oauth2/v2.0/authorize', async (req: Request, res: Response) =>
    showConsent(ctx, req, res),
  );
  server.post('/:tenant/oauth2/v2.0/authorize/decision', async (req: Request, res: Response) =>
    decide(ctx, req, res),
  );
}
