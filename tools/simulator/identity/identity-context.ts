import type { Logger } from '../../../src/logging/logger';
import type { AccessTokenAuthority } from './access-token-authority';
import type { SignInFlow } from './sign-in-flow';
import type { SimDirectory } from './sim-user';
import type { UserTokenStore } from './user-token-store';

/** Everything the identity routes share. */
export interface IdentityContext {
  authority: AccessTokenAuthority;
  directory: SimDirectory;
  now: () => number;
  tenantId: string;
  publicUrl: () => string;
  logger: Logger;
  store: UserTokenStore;
  signIn: SignInFlow;
}
