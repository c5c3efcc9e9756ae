import { AppError, isAppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { SsoTokenVerifier } from '../signin/sso/sso-token-verifier';
import type { MsalSignIn } from '../signin/msal/msal-sign-in';
import type { SignInAccount, UserTokenProvider } from './user-token-provider';

/** What the msal-mode provider needs: MSAL's sign-in and the SSO token checks. */
export interface MsalTokenProviderOptions {
  msal: MsalSignIn;
  ssoTokens: SsoTokenVerifier;
  logger: Logger;
}

function entraIdOf(account: SignInAccount): string {
  if (!account.aadObjectId)
    throw new AppError('TOKEN_UNAVAILABLE', 'the channel named no Entra user');
  return account.aadObjectId;
}

/**
 * Delegated tokens from MSAL (SIGN_IN_MODE=msal): the cache MSAL keeps in the store, refreshed by
 * MSAL; a user Entra no longer gives tokens for (revoked, no account) loses their cache partition.
 * Teams SSO tokens are checked, then exchanged on behalf of the user. No magic codes.
 */
export function createMsalTokenProvider(options: MsalTokenProviderOptions): UserTokenProvider {
  const { msal } = options;
  const logger = options.logger.child({ module: 'msal-token-provider' });
  const getToken = async (tenantId: string, userId: string): Promise<string> => {
    try {
      return await msal.getToken(tenantId, userId);
    } catch (error) {
      if (isAppError(error, 'TOKEN_UNAVAILABLE')) await msal.signOut(tenantId, userId);
      throw error;
    }
  };
  return {
    getToken,
    async tokenFor(account, magicCode) {
      if (magicCode) {
        throw new AppError('TOKEN_UNAVAILABLE', 'sign-in codes are not used with MSAL');
      }
      return getToken(account.tenantId, entraIdOf(account));
    },
    async exchange(account, ssoToken) {
      await options.ssoTokens.verify(ssoToken, account);
      const user = await msal.onBehalfOf(ssoToken);
      if (user.userId.toLowerCase() !== entraIdOf(account).toLowerCase()) {
        logger.warn({ via: 'sso' }, 'on-behalf-of answered for another user');
        throw new AppError('SSO_TOKEN_USER_MISMATCH');
      }
      return msal.getToken(user.tenantId, user.userId);
    },
    async signOut(account) {
      if (account.aadObjectId) await msal.signOut(account.tenantId, account.aadObjectId);
    },
  };
}
