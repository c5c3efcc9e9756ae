import type { Application, TurnState } from '@microsoft/teams-ai';
import {
  ConfigurationBotFrameworkAuthentication,
  type CloudAdapter,
  type ConversationReference,
} from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import type { Server } from 'restify';
import { botConnectorSender } from '../alerts/bot-connector-sender';
import { createBotApplication, type BotDeps } from '../bot/bot-app';
import { createChannelAccountDirectory } from '../bot/channel-accounts';
import { createSignInCards } from '../bot/sign-in-card';
import {
  createUserTokenProvider,
  userTokenClientFactory,
  type UserTokenProvider,
} from '../bot/user-token-provider';
import type { Config } from '../config/config';
import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import { ActivityAdapter } from '../server/activity-adapter';
import { registerBotMessagesRoute } from '../server/bot-messages-route';
import { createStoreBackedStorage } from '../store/bot-state';
import type { StoreDatabase } from '../store/open-database';
import type { StoreKeyRing } from '../store/store-keys';
import { startMsalSignInService } from './sign-in-service';

/** What the bot is assembled from; the keeper's hooks arrive as callbacks. */
export interface BotServiceDeps {
  config: Config;
  /** The PEM private key of BOT_CERTIFICATE_KEY_FILE, when the bot uses a certificate. */
  botCertificateKey?: string;
  store: StoreDatabase;
  /** Seals MSAL's token cache and pending sign-ins (msal mode). */
  storeKey: StoreKeyRing;
  /** The bot's public base URL, known once the server listens (sign-in links and redirect). */
  baseUrl: () => string;
  graph: GraphClient;
  server: Server;
  logger: Logger;
  now: () => number;
  watches: BotDeps['watches'];
  onSignedIn: BotDeps['onSignedIn'];
  releaseSignIn: BotDeps['releaseSignIn'];
  onConversationSeen(reference: Partial<ConversationReference>): Promise<void>;
}

/** The Teams-facing half: adapter, token provider and the Teams AI application. */
export interface BotService {
  adapter: CloudAdapter;
  app: Application<TurnState>;
  tokens: UserTokenProvider;
  botAppId: string;
}

/** Bot Framework authentication from the bot's app registration (and the token service URL). */
export function botAuthentication(
  config: Config,
  certificateKey?: string,
): BotFrameworkAuthentication {
  const { bot, graph } = config;
  return new ConfigurationBotFrameworkAuthentication({
    ...(bot.id ? { MicrosoftAppId: bot.id, MicrosoftAppType: bot.type } : {}),
    ...(bot.password ? { MicrosoftAppPassword: bot.password } : {}),
    ...(bot.certificate && certificateKey
      ? { CertificateThumbprint: bot.certificate.thumbprint, CertificatePrivateKey: certificateKey }
      : {}),
    ...(bot.tenantId ? { MicrosoftAppTenantId: bot.tenantId } : {}),
    ...(graph.oauthApiUrl ? { OAuthUrl: graph.oauthApiUrl } : {}),
  });
}

interface SignInParts {
  tokens: UserTokenProvider;
  signInCards: BotDeps['signInCards'];
  serveRoutes?: (botDeps: BotDeps) => void;
}

async function signInPartsOf(
  deps: BotServiceDeps,
  auth: BotFrameworkAuthentication,
  adapter: CloudAdapter,
  accounts: BotDeps['accounts'],
): Promise<SignInParts> {
  const { config, logger } = deps;
  const botAppId = config.bot.id ?? '';
  if (config.signIn.mode === 'msal') {
    const msal = await startMsalSignInService({
      config: config.signIn,
      store: deps.store,
      storeKey: deps.storeKey,
      server: deps.server,
      baseUrl: deps.baseUrl,
      teamsSso: Boolean(config.bot.id),
      logger,
      now: deps.now,
    });
    return { ...msal, serveRoutes: (botDeps) => msal.serveRoutes(botDeps, adapter, botAppId) };
  }
  const userTokenClient = userTokenClientFactory(auth, botAppId);
  const connectionName = config.graph.oauthConnectionName;
  const localSignIn =
    !config.bot.id && config.graph.oauthApiUrl
      ? { localSignInBaseUrl: config.graph.oauthApiUrl }
      : {};
  return {
    tokens: createUserTokenProvider({ userTokenClient, connectionName, accounts, logger }),
    signInCards: createSignInCards({ connectionName, botAppId, userTokenClient, ...localSignIn }),
  };
}

/** Builds the bot (its sign-in by SIGN_IN_MODE) and serves it on `POST /api/messages`. */
export async function startBotService(deps: BotServiceDeps): Promise<BotService> {
  const { config, logger } = deps;
  const auth = botAuthentication(config, deps.botCertificateKey);
  const adapter = new ActivityAdapter(auth);
  const log = logger.child({ module: 'bot-service' });
  adapter.onTurnError = async (context, error) => {
    log.error({ err: { name: error.name, message: error.message } }, 'unhandled bot turn error');
    await context.sendActivity('Sorry, something went wrong on my side. Please try again.');
  };
  const botAppId = config.bot.id ?? '';
  const accounts = createChannelAccountDirectory(deps.store.db, deps.now);
  const signIn = await signInPartsOf(deps, auth, adapter, accounts);
  const { tokens } = signIn;
  const botDeps: BotDeps = {
    storage: createStoreBackedStorage(deps.store.db, deps.now),
    graph: deps.graph,
    tokens,
    signInCards: signIn.signInCards,
    accounts,
    db: deps.store.db,
    watches: deps.watches,
    onSignedIn: deps.onSignedIn,
    releaseSignIn: deps.releaseSignIn,
    onConversationSeen: deps.onConversationSeen,
    sendToConversation: botConnectorSender(adapter, botAppId, deps.now),
    botAppId,
    logger,
    now: deps.now,
  };
  const app = createBotApplication(botDeps);
  signIn.serveRoutes?.(botDeps);
  registerBotMessagesRoute(deps.server, {
    adapter,
    run: (context) => app.run(context).then(() => undefined),
    authenticated: Boolean(config.bot.id),
    logger,
  });
  return { adapter, app, tokens, botAppId };
}
