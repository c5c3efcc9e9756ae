import type {
  SignInUrlResponse,
  TokenExchangeRequest,
  TokenResponse,
  TokenStatus,
} from 'botbuilder';
import { UserTokenClient } from 'botframework-connector';

/**
 * The token service at the edge: tokens per channel user, magic codes that release a token once,
 * and SSO tokens that exchange for one.
 */
export class FakeUserTokenClient extends UserTokenClient {
  readonly tokens = new Map<string, string>();
  readonly magicCodes = new Map<string, { code: string; token: string }>();
  readonly ssoTokens = new Map<string, string>();
  readonly calls: string[] = [];

  override async getUserToken(
    userId: string,
    connectionName: string,
    channelId: string,
    magicCode: string,
  ): Promise<TokenResponse> {
    this.calls.push(`getUserToken ${userId} ${magicCode ? 'code' : 'nocode'}`);
    const pending = this.magicCodes.get(userId);
    if (magicCode && pending?.code === magicCode) {
      this.magicCodes.delete(userId);
      this.tokens.set(userId, pending.token);
    }
    const token = this.tokens.get(userId);
    return (
      token ? { token, connectionName, channelId, expiration: '' } : undefined
    ) as TokenResponse;
  }

  override async getSignInResource(): Promise<SignInUrlResponse> {
    return {
      signInLink: 'https://token.example/signin?x=1',
      tokenExchangeResource: { id: 'ter-1', uri: 'api://botid-bot', providerId: 'AzureAD' },
    };
  }

  override async signOutUser(userId: string): Promise<void> {
    this.calls.push(`signOutUser ${userId}`);
    this.tokens.delete(userId);
  }

  override async getTokenStatus(): Promise<TokenStatus[]> {
    return [];
  }

  override async getAadTokens(): Promise<Record<string, TokenResponse>> {
    return {};
  }

  override async exchangeToken(
    userId: string,
    connectionName: string,
    channelId: string,
    request: TokenExchangeRequest,
  ): Promise<TokenResponse> {
    this.calls.push(`exchangeToken ${userId}`);
    const token = request.token ? this.ssoTokens.get(request.token) : undefined;
    if (!token) throw Object.assign(new Error('consent required'), { statusCode: 400 });
    this.tokens.set(userId, token);
    return { token, connectionName, channelId, expiration: '' };
  }
}
