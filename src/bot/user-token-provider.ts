import {
  AuthenticationConstants,
  ClaimsIdentity,
  type BotFrameworkAuthentication,
  type UserTokenClient,
} from 'botframework-connector';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { DelegatedTokenProvider } from '../watch/token-provider';
import type { ChannelAccount, ChannelAccountDirectory } from './channel-accounts';

/** The turn's user as the sign-in sees them: the channel account and, for MSAL, the Entra ids. */
export type SignInAccount = ChannelAccount & {
  readonly tenantId: string;
  readonly aadObjectId: string | undefined;
};

/** Gives a UserTokenClient for the bot's OAuth connection. */
export type UserTokenClientFactory = () => Promise<UserTokenClient>;

/**
 * Delegated Graph tokens for the keeper (by Entra id) and the bot (by the turn's account): from the
 * Bot Framework token service (the Azure Bot OAuth connection's token store, or the simulator's),
 * or in msal mode from MSAL's sealed cache.
 */
export interface UserTokenProvider extends DelegatedTokenProvider {
  /** The user's stored token; with `magicCode`, the token that code releases. TOKEN_UNAVAILABLE when none. */
  tokenFor(account: SignInAccount, magicCode?: string): Promise<string>;
  /**
   * Swaps a Teams SSO token for a Graph token; undefined when the service refuses. In msal mode a
   * refused token is a coded SSO_TOKEN_* error and consent is SIGN_IN_CONSENT_REQUIRED.
   */
  exchange(account: SignInAccount, ssoToken: string): Promise<string | undefined>;
  /** Forgets the user's token (the token service's, or the MSAL cache partition). */
  signOut(account: SignInAccount): Promise<void>;
}

/** What the provider needs. */
export interface UserTokenProviderOptions {
  userTokenClient: UserTokenClientFactory;
  connectionName: string;
  accounts: ChannelAccountDirectory;
  logger: Logger;
}

/** A UserTokenClient factory over the bot's Bot Framework authentication, made once and reused. */
export function userTokenClientFactory(
  auth: BotFrameworkAuthentication,
  botAppId: string,
): UserTokenClientFactory {
  let client: Promise<UserTokenClient> | undefined;
  return () => {
    client ??= auth.createUserTokenClient(
      new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: botAppId }], true),
    );
    return client;
  };
}

/** Builds the token provider over the token service's UserTokenClient. */
export function createUserTokenProvider(options: UserTokenProviderOptions): UserTokenProvider {
  const logger = options.logger.child({ module: 'user-token-provider' });
  const { connectionName } = options;

  const tokenFor = async (account: ChannelAccount, magicCode?: string): Promise<string> => {
    const client = await options.userTokenClient();
    const response = await client.getUserToken(
      account.channelUserId,
      connectionName,
      account.channelId,
      magicCode ?? '',
    );
    if (typeof response?.token === 'string' && response.token.length > 0) return response.token;
    throw new AppError('TOKEN_UNAVAILABLE', magicCode ? 'the code was not accepted' : 'no token');
  };

  return {
    tokenFor,
    async getToken(tenantId, userId) {
      const account = await options.accounts.find(tenantId, userId);
      if (!account) throw new AppError('TOKEN_UNAVAILABLE', 'the user has not talked to the bot');
      return tokenFor(account);
    },
    async exchange(account, ssoToken) {
      const client = await options.userTokenClient();
      try {
        const response = await client.exchangeToken(
          account.channelUserId,
          connectionName,
          account.channelId,
          { token: ssoToken },
        );
        return typeof response?.token === 'string' && response.token ? response.token : undefined;
      } catch (error) {
        logger.info({ err: errorSummary(error) }, 'token exchange refused');
        return undefined;
      }
    },
    async signOut(account) {
      const client = await options.userTokenClient();
      await client.signOutUser(account.channelUserId, connectionName, account.channelId);
    },
  };
}

function errorSummary(error: unknown): { name: string; statusCode?: number } {
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  return {
    name: error instanceof Error ? error.name : typeof error,
    ...(typeof statusCode === 'number' ? { statusCode } : {}),
  };
}
