import { readFile } from 'node:fs/promises';
import type { CloudAdapter } from 'botbuilder';
import type { FetchImplementation } from 'jose';
import type { Server } from 'restify';
import type { BotDeps } from '../bot/bot-deps';
import { createMsalSignInCards } from '../bot/msal-sign-in-cards';
import { createMsalTokenProvider } from '../bot/msal-token-provider';
import { createSignInLinks, SIGN_IN_START_PATH } from '../bot/sign-in-links';
import { createSignInResumer } from '../bot/sign-in-resume';
import type { SignInCards } from '../bot/sign-in-card';
import type { UserTokenProvider } from '../bot/user-token-provider';
import type { SignInConfig } from '../config/sign-in-settings';
import type { Logger } from '../logging/logger';
import { remoteKeySet } from '../notifications/tokens/jwks-sources';
import { registerAuthCodeRoutes } from '../signin/auth-code/auth-code-routes';
import { createMsalSignIn } from '../signin/msal/create-msal-sign-in';
import type { MsalCredential, MsalSignIn } from '../signin/msal/msal-sign-in';
import { trustedCaNetworkClient } from '../signin/msal/trusted-ca-network-client';
import { createSsoTokenVerifier } from '../signin/sso/sso-token-verifier';
import type { StoreDatabase } from '../store/open-database';
import type { StoreKeyRing } from '../store/store-keys';

type MsalConfig = Extract<SignInConfig, { mode: 'msal' }>;

/** What the msal-mode sign-in is built from. */
export interface MsalSignInServiceDeps {
  config: MsalConfig;
  store: StoreDatabase;
  storeKey: StoreKeyRing;
  /** The lease owner name the token cache partitions are held as. */
  leaseOwner: string;
  server: Server;
  /** The bot's public base URL (links and the redirect URI). */
  baseUrl: () => string;
  /** True in Teams (a bot registration): SSO cards; false locally (link cards only). */
  teamsSso: boolean;
  logger: Logger;
  now: () => number;
}

/** The msal-mode sign-in: the bot's token provider and cards, and the routes once the bot exists. */
export interface MsalSignInService {
  tokens: UserTokenProvider;
  signInCards: SignInCards;
  /** Serves the authorization-code routes, resuming commands through the bot. */
  serveRoutes(deps: BotDeps, adapter: CloudAdapter, botAppId: string): void;
}

async function credentialOf(config: MsalConfig): Promise<MsalCredential> {
  const { credential } = config;
  if (credential.kind === 'secret') return { kind: 'secret', clientSecret: credential.secret };
  return {
    kind: 'certificate',
    thumbprint: credential.thumbprint,
    privateKeyPem: await readFile(credential.keyFile, 'utf8'),
  };
}

function trustedCaFetch(caPem: string): FetchImplementation {
  const client = trustedCaNetworkClient(caPem);
  return async (url) => {
    const answer = await client.sendGetRequestAsync<unknown>(url);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** Builds MSAL sign-in from the configuration (reading the certificate key and local CA files). */
export async function startMsalSignInService(
  deps: MsalSignInServiceDeps,
): Promise<MsalSignInService> {
  const { config, logger } = deps;
  const trustedCaPem = config.trustedCaFile
    ? await readFile(config.trustedCaFile, 'utf8')
    : undefined;
  const msal: MsalSignIn = createMsalSignIn({
    clientId: config.clientId,
    authority: config.authority,
    credential: await credentialOf(config),
    database: deps.store,
    storeKeys: deps.storeKey,
    leaseOwner: deps.leaseOwner,
    ...(trustedCaPem ? { trustedCaPem } : {}),
    logger,
  });
  const ssoTokens = createSsoTokenVerifier({
    keySet: remoteKeySet(`${config.authority}/discovery/v2.0/keys`, {
      ...(trustedCaPem ? { fetch: trustedCaFetch(trustedCaPem) } : {}),
    }),
    audiences: config.ssoAudiences,
    authorityHost: config.authorityHost,
  });
  const links = createSignInLinks({
    db: deps.store.db,
    storeKey: deps.storeKey,
    baseUrl: deps.baseUrl,
    now: deps.now,
  });
  return {
    tokens: createMsalTokenProvider({ msal, ssoTokens, logger }),
    signInCards: createMsalSignInCards({
      links,
      ssoResourceUri: deps.teamsSso ? config.ssoAudiences[0] : undefined,
    }),
    serveRoutes(botDeps, adapter, botAppId) {
      registerAuthCodeRoutes({
        server: deps.server,
        startPath: SIGN_IN_START_PATH,
        msal,
        db: deps.store.db,
        storeKey: deps.storeKey,
        baseUrl: deps.baseUrl,
        onSignedIn: createSignInResumer(botDeps, (reference, logic) =>
          adapter.continueConversationAsync(botAppId, reference, logic),
        ),
        logger,
        now: deps.now,
      });
    },
  };
}
