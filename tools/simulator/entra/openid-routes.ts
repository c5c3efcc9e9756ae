import type { Request, Response, Server } from 'restify';
import { sendJson } from '../http/responses';
import { isThisTenant, v2Issuer, type EntraContext } from './entra-context';
import { invalidRequest, sendOAuthError } from './oauth-error';

function openIdConfiguration(ctx: EntraContext, tenant: string): Record<string, unknown> {
  const base = `${ctx.url()}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2Issuer(ctx),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.url()}/oidc/userinfo`,
    authorization_endpoint: `${ctx.browserUrl()}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'oid',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

/**
 * Mounts the tenant's OpenID configuration (`GET /{tenant}/v2.0/.well-known/openid-configuration`)
 * and the signing keys of the tokens it issues (`GET /{tenant}/discovery/v2.0/keys`).
 */
export function registerOpenIdRoutes(server: Server, ctx: EntraContext): void {
  server.get(
    '/:tenant/v2.0/.well-known/openid-configuration',
    async (req: Request, res: Response) => {
      const tenant = String(req.params.tenant);
      if (!isThisTenant(ctx, tenant)) {
        return sendOAuthError(res, invalidRequest(90002, `Tenant '${tenant}' not found.`));
      }
      sendJson(res, 200, openIdConfiguration(ctx, tenant));
    },
  );
  server.get('/:tenant/discovery/v2.0/keys', async (req: Request, res: Response) => {
    const tenant = String(req.params.tenant);
    if (!isThisTenant(ctx, tenant)) {
      return sendOAuthError(res, invalidRequest(90002, `Tenant '${tenant}' not found.`));
    }
    sendJson(res, 200, await ctx.authority.jwks());
  });
}
