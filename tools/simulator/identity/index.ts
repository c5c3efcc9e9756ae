import type { Server } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import type { AccessTokenAuthority } from './access-token-authority';
import { registerIdentityAdminRoutes } from './identity-admin-routes';
import { registerOAuthTokenRoutes } from './oauth-token-routes';
import { registerSignInRoutes } from './sign-in-routes';
import { createSignInFlow } from './sign-in-flow';
import type { SimDirectory } from './sim-user';
import { registerTokenServiceRoutes } from './token-service-routes';
import { createUserTokenStore } from './user-token-store';

export {
  createAccessTokenAuthority,
  type AccessTokenAuthority,
  type IssuedTokens,
} from './access-token-authority';
export { SimulatorAuthError } from './simulator-auth-error';
export type { IdentityUser, SimDirectory } from './sim-user';
export { GRAPH_AUDIENCE, PRESENCE_WATCH_SCOPES, ssoAudience } from './token-claims';

/** What the identity routes need from the simulator. */
export interface IdentityRouteDeps {
  authority: AccessTokenAuthority;
  directory: SimDirectory;
  /** The simulator clock (epoch ms). */
  now: () => number;
  tenantId: string;
  /** The simulator's base URL as a browser reaches it, e.g. `http://127.0.0.1:5100`. */
  publicUrl: () => string;
  logger: Logger;
}

/**
 * Mounts the Bot Framework Token Service API (`/api/usertoken/*`, `/api/botsignin/*`), the sign-in
 * page (`/signin`), the OAuth token endpoint (`/{tenant}/oauth2/v2.0/token`) and the identity admin
 * API (`/_sim/identity/*`) on `server`.
 */
export function registerIdentityRoutes(server: Server, deps: IdentityRouteDeps): void {
  const logger = deps.logger.child({ module: 'simulator-identity' });
  const store = createUserTokenStore({ authority: deps.authority, now: deps.now });
  const signIn = createSignInFlow({ ...deps, store });
  const routeDeps = { ...deps, logger, store, signIn };
  registerTokenServiceRoutes(server, routeDeps);
  registerSignInRoutes(server, routeDeps);
  registerOAuthTokenRoutes(server, routeDeps);
  registerIdentityAdminRoutes(server, routeDeps);
}
