import { AppError } from '../../src/errors/app-error';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import type { DelegatedTokenProvider } from '../../src/watch/token-provider';
import { TEST_APP_ID } from '../helpers/tenant-simulator-harness';

const SCOPES = ['Presence.Read.All', 'User.ReadBasic.All'];

/**
 * A token provider over the simulator's Entra, like the Bot Service token store: a user is signed
 * in on first use (or by `signIn`), every token comes from redeeming their refresh token, and a
 * refused refresh (revoked consent) means TOKEN_UNAVAILABLE until they sign in again.
 */
export class SimTokenProvider implements DelegatedTokenProvider {
  private readonly refreshTokens = new Map<string, string>();
  private readonly signedOut = new Set<string>();
  /** How many tokens were handed out, by user. */
  readonly issued = new Map<string, number>();

  constructor(private readonly sim: RunningSimulator) {}

  /** Signs the user in (again): consent is granted and a fresh refresh token kept. */
  async signIn(userId: string): Promise<void> {
    const tokens = await this.sim.issueToken({ userId, appId: TEST_APP_ID, scopes: SCOPES });
    this.refreshTokens.set(userId.toLowerCase(), tokens.refreshToken);
    this.signedOut.delete(userId.toLowerCase());
  }

  /** Signs the user out at the token service: no token until they sign in again. */
  signOut(userId: string): void {
    this.refreshTokens.delete(userId.toLowerCase());
    this.signedOut.add(userId.toLowerCase());
  }

  async getToken(_tenantId: string, userId: string): Promise<string> {
    const key = userId.toLowerCase();
    if (this.signedOut.has(key)) throw new AppError('TOKEN_UNAVAILABLE', 'signed out');
    if (!this.refreshTokens.has(key)) await this.signIn(key);
    try {
      const tokens = await this.sim.authority.refresh(this.refreshTokens.get(key) ?? '');
      this.refreshTokens.set(key, tokens.refreshToken);
      this.issued.set(key, (this.issued.get(key) ?? 0) + 1);
      return tokens.accessToken;
    } catch (error) {
      this.refreshTokens.delete(key);
      this.signedOut.add(key);
      throw new AppError('TOKEN_UNAVAILABLE', 'refresh refused', { cause: error });
    }
  }
}
