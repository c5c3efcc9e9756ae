import { createHash } from 'node:crypto';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  DistributedCachePlugin,
  type AuthenticationResult,
} from '@azure/msal-node';
import { AppError } from '../../errors/app-error';
import { deleteCachePartition, msalCachePartitionKey } from '../../store/msal-token-cache';
import { msalBaseConfiguration } from './msal-configuration';
import { msalErrorFields, signInError, silentTokenError } from './msal-errors';
import { withPartitionLease } from './partition-lease';
import {
  MSAL_GRAPH_SCOPES,
  type MsalSignIn,
  type MsalSignInOptions,
  type SignedInUser,
} from './msal-sign-in';
import { createCacheSession, type CacheWriteMode } from './store-token-cache';

/** PKCE codes (S256): for `verifier` when given, else new ones. */
async function pkceCodes(verifier?: string): Promise<{ verifier: string; challenge: string }> {
  if (!verifier) return new CryptoProvider().generatePkceCodes();
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function signedInUserOf(result: AuthenticationResult | null): SignedInUser {
  const account = result?.account;
  if (!account?.localAccountId || !account.tenantId) {
    throw new AppError('SIGN_IN_FAILED', 'Entra answered without an account');
  }
  return { tenantId: account.tenantId, userId: account.localAccountId };
}

/**
 * Builds MSAL sign-in over the store. Every operation gets its own `ConfidentialClientApplication`
 * (cheap: the authority metadata is fetched once per process) whose cache is the user's partition
 * only, so no user's tokens are ever in memory next to another's.
 *
 * Several instances share a user's partition through the database. Background token requests
 * (where MSAL may refresh and rotate the refresh token) are serialised per user by a lease on the
 * partition row, so two instances never redeem the same refresh token; and every such write is a
 * compare-and-swap on the partition's version, so an operation whose lease lapsed never overwrites
 * a newer cache (it fails with STORE_UNAVAILABLE, a transient error: the caller asks again later).
 */
export function createMsalSignIn(options: MsalSignInOptions): MsalSignIn {
  const log = options.logger.child({ module: 'msal-sign-in' });
  const base = msalBaseConfiguration(options, log);
  const { db } = options.database;

  const clientFor = async (partitionKey: string | undefined, mode: CacheWriteMode) => {
    const session = createCacheSession({
      database: options.database,
      storeKeys: options.storeKeys,
      partitionKey,
      mode,
      now: Date.now,
    });
    const configuration = await base.configuration();
    return new ConfidentialClientApplication({
      ...configuration,
      cache: { cachePlugin: new DistributedCachePlugin(session.client, session.partitions) },
    });
  };

  const silentAttempt = async (key: string): Promise<string> => {
    const app = await clientFor(key, 'compare-and-swap');
    const accounts = await app.getTokenCache().getAllAccounts();
    const account = accounts.find(
      (candidate) => msalCachePartitionKey(candidate.tenantId, candidate.localAccountId) === key,
    );
    if (!account) throw new AppError('TOKEN_UNAVAILABLE', 'no cached account');
    const result = await app.acquireTokenSilent({ account, scopes: [...MSAL_GRAPH_SCOPES] });
    return result.accessToken;
  };

  return {
    async getToken(tenantId, userId) {
      const key = msalCachePartitionKey(tenantId, userId);
      try {
        return await withPartitionLease(db, key, options.leaseOwner, () => silentAttempt(key));
      } catch (error) {
        const appError = silentTokenError(error);
        log.info(
          { userId, code: appError.code, ...msalErrorFields(error) },
          'no token from the MSAL cache',
        );
        throw appError;
      }
    },
    async onBehalfOf(ssoToken) {
      const app = await clientFor(undefined, 'replace');
      try {
        const result = await app.acquireTokenOnBehalfOf({
          oboAssertion: ssoToken,
          scopes: [...MSAL_GRAPH_SCOPES],
        });
        const user = signedInUserOf(result);
        log.info({ userId: user.userId }, 'signed in on behalf of the user');
        return user;
      } catch (error) {
        const appError = signInError(error);
        log.info(
          { code: appError.code, ...msalErrorFields(error) },
          'on-behalf-of exchange refused',
        );
        throw appError;
      }
    },
    async authorizationUrl(request) {
      const { verifier, challenge } = await pkceCodes(request.codeVerifier);
      const app = await clientFor(undefined, 'replace');
      const url = await app
        .getAuthCodeUrl({
          scopes: [...MSAL_GRAPH_SCOPES],
          redirectUri: request.redirectUri,
          state: request.state,
          codeChallenge: challenge,
          codeChallengeMethod: 'S256',
          ...(request.loginHint ? { loginHint: request.loginHint } : {}),
        })
        .catch((error: unknown) => {
          throw signInError(error);
        });
      return { url, codeVerifier: verifier };
    },
    async redeemCode(request) {
      const app = await clientFor(undefined, 'replace');
      try {
        const result = await app.acquireTokenByCode({
          code: request.code,
          codeVerifier: request.codeVerifier,
          redirectUri: request.redirectUri,
          scopes: [...MSAL_GRAPH_SCOPES],
        });
        const user = signedInUserOf(result);
        log.info({ userId: user.userId }, 'signed in with an authorization code');
        return user;
      } catch (error) {
        const appError = signInError(error);
        log.info({ code: appError.code, ...msalErrorFields(error) }, 'authorization code refused');
        throw appError;
      }
    },
    async signOut(tenantId, userId) {
      const removed = await deleteCachePartition(db, msalCachePartitionKey(tenantId, userId));
      log.info({ userId, removed }, 'MSAL cache partition removed');
    },
  };
}
