import { decodeJwt } from 'jose';
import type { IssuedTokens } from '../identity';
import { ssoAudience } from '../identity';
import { TOKEN_FAILURE_MESSAGES } from '../identity/token-verification-errors';
import type { RegisteredApp } from './app-registrations';
import { v2Issuer, type EntraContext } from './entra-context';
import { invalidGrant, invalidRequest, OAuthError } from './oauth-error';
import { grantedScope, readScopes, type RequestedScopes } from './requested-scopes';

/** What a grant yields: the user, the token pair and which extras the response carries. */
export interface GrantResult {
  userId: string;
  issued: IssuedTokens;
  scopes: RequestedScopes;
  nonce?: string;
}

function required(form: Record<string, string>, name: string): string {
  const value = form[name];
  if (!value) {
    throw invalidRequest(
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    );
  }
  return value;
}

async function issueFor(
  ctx: EntraContext,
  app: RegisteredApp,
  userId: string,
  scopes: RequestedScopes,
): Promise<IssuedTokens> {
  const user = ctx.directory.findUser(userId);
  return ctx.authority.issue({
    userId,
    tenantId: ctx.tenantId,
    appId: app.clientId,
    scopes: scopes.graph,
    ...(user ? { name: user.displayName, upn: user.userPrincipalName } : {}),
  });
}

/** `authorization_code`: the code, its redirect URI and the PKCE verifier must all match. */
export async function authorizationCodeGrant(
  ctx: EntraContext,
  app: RegisteredApp,
  form: Record<string, string>,
): Promise<GrantResult> {
  const grant = ctx.codes.redeem(required(form, 'code'), {
    clientId: app.clientId,
    redirectUri: required(form, 'redirect_uri'),
    codeVerifier: required(form, 'code_verifier'),
  });
  const scopes = readScopes(grant.scopes.join(' '));
  const issued = await issueFor(ctx, app, grant.userId, scopes);
  return { userId: grant.userId, issued, scopes, ...(grant.nonce ? { nonce: grant.nonce } : {}) };
}

/** `refresh_token`: single use; the new pair carries a new refresh token. */
export async function refreshTokenGrant(
  ctx: EntraContext,
  app: RegisteredApp,
  form: Record<string, string>,
): Promise<GrantResult> {
  const issued = await ctx.authority
    .refresh(required(form, 'refresh_token'), { clientId: app.clientId })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : '';
      const code = /^AADSTS(\d+): (.*)$/.exec(message);
      if (!code) throw error;
      throw invalidGrant(
        Number(code[1]),
        String(code[2]),
        code[1] === '65001' ? 'consent_required' : undefined,
      );
    });
  const token = decodeJwt(issued.accessToken);
  const scopes = { ...readScopes(form.scope ?? issued.scopes.join(' ')), graph: issued.scopes };
  return { userId: String(token.oid), issued, scopes: { ...scopes, offlineAccess: true } };
}

function acceptedAudiences(app: RegisteredApp): string[] {
  return [ssoAudience(app.clientId), app.clientId, `api://${app.clientId}`];
}

async function verifiedAssertion(
  ctx: EntraContext,
  app: RegisteredApp,
  assertion: string,
): Promise<string> {
  let audience: unknown;
  try {
    audience = decodeJwt(assertion).aud;
  } catch {
    throw invalidGrant(50027, 'Invalid JWT token. Token format not valid.');
  }
  if (typeof audience !== 'string' || !acceptedAudiences(app).includes(audience)) {
    throw invalidGrant(
      500131,
      'Assertion audience does not match the Client app presenting the assertion.',
    );
  }
  const verified = await ctx.authority.verify(assertion, { audience }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : '';
    if (message.includes(TOKEN_FAILURE_MESSAGES.lifetime)) {
      throw invalidGrant(500133, 'Assertion is not within its valid time range.');
    }
    throw invalidGrant(50013, `Assertion failed signature validation. [Reason - ${message}]`);
  });
  return verified.userId;
}

/** `jwt-bearer` with `requested_token_use=on_behalf_of`: an SSO token this tenant issued for the app, swapped for Graph tokens. */
export async function onBehalfOfGrant(
  ctx: EntraContext,
  app: RegisteredApp,
  form: Record<string, string>,
): Promise<GrantResult> {
  if (required(form, 'requested_token_use') !== 'on_behalf_of') {
    throw invalidRequest(70003, "The jwt-bearer grant needs requested_token_use 'on_behalf_of'.");
  }
  const userId = await verifiedAssertion(ctx, app, required(form, 'assertion'));
  const scopes = readScopes(required(form, 'scope'));
  const consented = ctx.authority
    .consentedUsers()
    .find((record) => record.userId === userId && record.appId === app.clientId);
  const granted = new Set(consented?.scopes.map((scope) => scope.toLowerCase()));
  if (!consented || scopes.graph.some((scope) => !granted.has(scope.toLowerCase()))) {
    throw invalidGrant(
      65001,
      `The user or administrator has not consented to use the application with ID '${app.clientId}'. Send an interactive authorization request for this user and resource.`,
      'consent_required',
    );
  }
  return { userId, issued: await issueFor(ctx, app, userId, scopes), scopes };
}

/** The token response body MSAL reads: tokens, `scope`, lifetimes, and `id_token`/`client_info` when asked. */
export async function tokenResponseBody(
  ctx: EntraContext,
  app: RegisteredApp,
  result: GrantResult,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const expiresIn = Math.max(0, Math.round((result.issued.expiresAt - ctx.now()) / 1000));
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: grantedScope(result.issued.scopes),
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: result.issued.accessToken,
  };
  if (result.scopes.offlineAccess) body.refresh_token = result.issued.refreshToken;
  const user = ctx.directory.findUser(result.userId);
  if (result.scopes.openid) {
    body.id_token = await ctx.authority.signIdToken({
      userId: result.userId,
      appId: app.clientId,
      issuer: v2Issuer(ctx),
      ...(result.nonce ? { nonce: result.nonce } : {}),
      ...(user ? { name: user.displayName, upn: user.userPrincipalName } : {}),
    });
  }
  if (form.client_info === '1') {
    body.client_info = Buffer.from(
      JSON.stringify({ uid: result.userId, utid: ctx.tenantId }),
    ).toString('base64url');
  }
  return body;
}

/** Refuses a grant type the endpoint does not serve. */
export function unsupportedGrant(grantType: string | undefined): OAuthError {
  return new OAuthError(
    400,
    'unsupported_grant_type',
    70003,
    `The app requested an unsupported grant type '${grantType ?? ''}'.`,
  );
}
