import { randomBytes, randomUUID } from 'node:crypto';

/** The `aud` of every Graph access token. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** The Microsoft Teams client's app id: the `appid` of a Teams SSO token. */
export const TEAMS_CLIENT_APP_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';

/** The delegated scopes Presence Watch asks for. */
export const PRESENCE_WATCH_SCOPES: readonly string[] = ['Presence.Read.All', 'User.ReadBasic.All'];

/** The `aud` of a Teams SSO token for the bot with app id `botAppId`. */
export function ssoAudience(botAppId: string): string {
  return `api://botid-${botAppId}`;
}

/** The v1 issuer for a tenant, as Entra writes it in `iss`. */
export function tenantIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** What goes into one delegated access token. */
export interface DelegatedClaimsInput {
  userId: string;
  tenantId: string;
  appId: string;
  audience: string;
  scopes: readonly string[];
  issuedAtSeconds: number;
  lifetimeSeconds: number;
  name?: string;
  upn?: string;
}

/** The claims of a v1 delegated access token, shaped like Entra's; `uti` identifies the token. */
export function delegatedClaims(input: DelegatedClaimsInput): Record<string, unknown> {
  const issuer = tenantIssuer(input.tenantId);
  const claims: Record<string, unknown> = {
    aud: input.audience,
    iss: issuer,
    iat: input.issuedAtSeconds,
    nbf: input.issuedAtSeconds,
    exp: input.issuedAtSeconds + input.lifetimeSeconds,
    acr: '1',
    aio: randomBytes(24).toString('base64'),
    amr: ['pwd'],
    appid: input.appId,
    appidacr: '0',
    idp: issuer,
    oid: input.userId,
    scp: input.scopes.join(' '),
    sub: randomBytes(24).toString('base64url'),
    tid: input.tenantId,
    uti: randomUUID(),
    ver: '1.0',
  };
  if (input.name !== undefined) claims.name = input.name;
  if (input.upn !== undefined) {
    claims.upn = input.upn;
    claims.unique_name = input.upn;
  }
  return claims;
}
