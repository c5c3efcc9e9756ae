import type { Logger } from '../../../src/logging/logger';
import type { AccessTokenAuthority, SimDirectory } from '../identity';
import type { AppRegistry } from './app-registrations';
import type { AuthorizationCodes } from './authorization-codes';

/** Everything the simulated Entra endpoints share. */
export interface EntraContext {
  authority: AccessTokenAuthority;
  apps: AppRegistry;
  codes: AuthorizationCodes;
  directory: SimDirectory;
  tenantId: string;
  /** The simulator clock (epoch ms): token lifetimes, codes. */
  now: () => number;
  /** The TLS listener's base URL, e.g. `https://127.0.0.1:5101`. */
  url: () => string;
  /** The simulator's plain-HTTP loopback base URL, where the browser-facing authorize endpoint lives. */
  browserUrl: () => string;
  /** Real ms every token request is held before it is processed (a fault; 0 by default). */
  tokenLatencyMs: () => number;
  logger: Logger;
}

/** True when a `{tenant}` path segment names this tenant (its id, `common` or `organizations`). */
export function isThisTenant(ctx: EntraContext, tenant: string): boolean {
  return tenant === ctx.tenantId || tenant === 'common' || tenant === 'organizations';
}

/** The v2 issuer the simulated Entra writes in ID tokens and its OpenID configuration. */
export function v2Issuer(ctx: EntraContext): string {
  return `${ctx.url()}/${ctx.tenantId}/v2.0`;
}
