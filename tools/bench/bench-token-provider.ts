import { AppError } from '../../src/errors/app-error';
import type { IssuedTokens } from '../simulator/identity';
import type { RunningSimulator } from '../simulator/simulator-server';
import type { DelegatedTokenProvider } from '../../src/watch/token-provider';

const SCOPES = ['Presence.Read.All', 'User.ReadBasic.All'];

/**
 * Delegated tokens from the simulator's Entra, kept like a token store keeps them: each user signs in
 * once (`signInAll`), the access token is reused until it has less than `refreshLeadMs` left, then
 * the refresh token is redeemed for a new pair.
 */
export class BenchTokenProvider implements DelegatedTokenProvider {
  private readonly tokens = new Map<string, IssuedTokens>();
  /** How many access tokens were minted (sign-ins plus refreshes). */
  minted = 0;

  constructor(
    private readonly sim: RunningSimulator,
    private readonly appId: string,
    private readonly refreshLeadMs: number,
  ) {}

  /** Signs every user in (consent granted, a first token pair kept). */
  async signInAll(userIds: readonly string[]): Promise<void> {
    for (const userId of userIds) {
      const issued = await this.sim.issueToken({ userId, appId: this.appId, scopes: SCOPES });
      this.tokens.set(userId.toLowerCase(), issued);
      this.minted += 1;
    }
  }

  async getToken(_tenantId: string, userId: string): Promise<string> {
    const key = userId.toLowerCase();
    const held = this.tokens.get(key);
    if (!held) throw new AppError('TOKEN_UNAVAILABLE', 'the user never signed in');
    if (held.expiresAt - this.sim.clock.now() > this.refreshLeadMs) return held.accessToken;
    try {
      const fresh = await this.sim.authority.refresh(held.refreshToken);
      this.tokens.set(key, fresh);
      this.minted += 1;
      return fresh.accessToken;
    } catch (error) {
      this.tokens.delete(key);
      throw new AppError('TOKEN_UNAVAILABLE', 'refresh refused', { cause: error });
    }
  }
}
