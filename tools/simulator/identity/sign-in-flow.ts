import { randomInt } from 'node:crypto';
import type { AccessTokenAuthority } from './access-token-authority';
import type { IdentityUser, SimDirectory } from './sim-user';
import { PRESENCE_WATCH_SCOPES } from './token-claims';
import { decodeTokenExchangeState, stateAppId } from './token-exchange-state';
import { userConnectionKey, type StoredUserToken, type UserTokenStore } from './user-token-store';

/** A sign-in request as the sign-in page shows it. */
export interface SignInRequest {
  user: IdentityUser;
  channelUserId: string;
  channelId: string;
  connectionName: string;
  appId: string;
  scopes: readonly string[];
}

/** Sign-in through the page: consent, then a magic code the user pastes into the chat. */
export interface SignInFlow {
  /**
   * The request a `state` describes, or a reason it cannot be signed in. The link's user signs in
   * unless `account` (an object id) names another directory person: as on Microsoft's page, who
   * signs in is whoever picks an account, and the token goes to the link's channel user.
   */
  describe(state: string, account?: string): SignInRequest | { problem: string };
  /** Records consent, issues tokens and returns the 6-digit magic code that releases them. */
  accept(request: SignInRequest): Promise<string>;
  /** The tokens the code releases into the store, or undefined for a wrong or stale code. */
  redeem(channelUserId: string, connectionName: string, code: string): StoredUserToken | undefined;
}

interface PendingSignIn {
  code: string;
  entry: StoredUserToken;
  expiresAt: number;
  attemptsLeft: number;
}

const MAGIC_CODE_LIFETIME_MS = 10 * 60 * 1000;
const MAGIC_CODE_ATTEMPTS = 5;

/** Builds the sign-in flow over the authority, directory and token store. */
export function createSignInFlow(deps: {
  authority: AccessTokenAuthority;
  directory: SimDirectory;
  store: UserTokenStore;
  tenantId: string;
  now: () => number;
}): SignInFlow {
  const pending = new Map<string, PendingSignIn>();

  return {
    describe(state, picked) {
      const decoded = decodeTokenExchangeState(state);
      if (!decoded) return { problem: 'The sign-in request is not valid.' };
      const account = decoded.conversation.user;
      const user = picked
        ? deps.directory.findUser(picked)
        : (account.aadObjectId && deps.directory.findUser(account.aadObjectId)) ||
          deps.directory.findUser(account.id);
      if (!user) {
        return { problem: `No one in the directory matches the user "${picked ?? account.id}".` };
      }
      return {
        user,
        channelUserId: account.id,
        channelId: decoded.conversation.channelId,
        connectionName: decoded.connectionName,
        appId: stateAppId(decoded),
        scopes: PRESENCE_WATCH_SCOPES,
      };
    },
    async accept(request) {
      const issued = await deps.authority.issue({
        userId: request.user.id,
        tenantId: deps.tenantId,
        appId: request.appId,
        scopes: [...request.scopes],
        name: request.user.displayName,
        upn: request.user.userPrincipalName,
      });
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const entry: StoredUserToken = {
        channelUserId: request.channelUserId,
        connectionName: request.connectionName,
        channelId: request.channelId,
        userId: request.user.id,
        appId: request.appId,
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        expiresAt: issued.expiresAt,
      };
      pending.set(userConnectionKey(request.channelUserId, request.connectionName), {
        code,
        entry,
        expiresAt: deps.now() + MAGIC_CODE_LIFETIME_MS,
        attemptsLeft: MAGIC_CODE_ATTEMPTS,
      });
      return code;
    },
    redeem(channelUserId, connectionName, code) {
      const key = userConnectionKey(channelUserId, connectionName);
      const signIn = pending.get(key);
      if (!signIn || signIn.expiresAt <= deps.now()) {
        pending.delete(key);
        return undefined;
      }
      if (signIn.code !== code.trim()) {
        signIn.attemptsLeft -= 1;
        if (signIn.attemptsLeft <= 0) pending.delete(key);
        return undefined;
      }
      pending.delete(key);
      if (!deps.authority.hasConsent(signIn.entry.userId, signIn.entry.appId)) return undefined;
      deps.store.put(signIn.entry);
      return { ...signIn.entry };
    },
  };
}
