import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { botConnectorSender, type SendToConversation } from '../alerts/bot-connector-sender';
import { toTeamsSendError } from '../alerts/teams-send-error';
import {
  createChannelAccountDirectory,
  type ChannelAccountDirectory,
} from '../bot/channel-accounts';
import type { BotDeps } from '../bot/bot-deps';
import { createSignInCards, type SignInCards } from '../bot/sign-in-card';
import {
  createUserTokenProvider,
  userTokenClientFactory,
  type UserTokenProvider,
} from '../bot/user-token-provider';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { AppMetrics } from '../metrics';
import type { Server } from 'restify';
import { ActivityAdapter } from '../server/activity-adapter';
import type { StoreDatabase } from '../store/open-database';
import type { StoreKeyRing } from '../store/store-keys';
import { leaseOwnerOf, type ProcessIdentity } from './process-identity';
import { startMsalSignInService, type MsalSignInServiceDeps } from './sign-in-service';

/** What talking to Teams is built from. */
export interface TeamsConnectionDeps {
  config: Config;
  /** The PEM private key of BOT_CERTIFICATE_KEY_FILE, when the bot uses a certificate. */
  botCertificateKey?: string;
  store: StoreDatabase;
  /** Seals MSAL's token cache and pending sign-ins (msal mode). */
  storeKey: StoreKeyRing;
  /** Who this process is: MSAL's token cache leases are held in its name (msal mode). */
  identity: ProcessIdentity;
  /** Serves the authorization-code routes (msal mode); its address gives the local base URL. */
  server: Server;
  logger: Logger;
  now: () => number;
  /** Counts failed alert sends (none when absent). */
  metrics?: AppMetrics;
}

/** The bot's connection to Teams: adapter, token service and proactive sends. */
export interface TeamsConnection {
  adapter: ActivityAdapter;
  botAppId: string;
  accounts: ChannelAccountDirectory;
  /** Delegated Graph tokens by SIGN_IN_MODE: the Bot Service token store, or MSAL. */
  tokens: UserTokenProvider;
  signInCards: SignInCards;
  /** Serves the sign-in routes that resume commands through the bot (msal mode only). */
  serveSignInRoutes(botDeps: BotDeps): void;
  /** Posts into a stored conversation (the bot's own messages). */
  send: SendToConversation;
  /** Posts alerts and sign-in requests, counting failures in the metrics. */
  alertSend: SendToConversation;
}

/** Bot Framework authentication from the bot's app registration (and the token service URL). */
function botAuthentication(config: Config, certificateKey?: string): BotFrameworkAuthentication {
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

type SignIn = Pick<TeamsConnection, 'tokens' | 'signInCards' | 'serveSignInRoutes'>;

/** The Bot Service sign-in: the Azure Bot OAuth connection's token store (or the simulator's). */
function botServiceSignIn(
  deps: TeamsConnectionDeps,
  auth: BotFrameworkAuthentication,
  botAppId: string,
  accounts: ChannelAccountDirectory,
): SignIn {
  const { config } = deps;
  const userTokenClient = userTokenClientFactory(auth, botAppId);
  const connectionName = config.graph.oauthConnectionName;
  const localSignIn =
    !config.bot.id && config.graph.oauthApiUrl
      ? { localSignInBaseUrl: config.graph.oauthApiUrl }
      : {};
  return {
    tokens: createUserTokenProvider({
      userTokenClient,
      connectionName,
      accounts,
      logger: deps.logger,
    }),
    signInCards: createSignInCards({ connectionName, botAppId, userTokenClient, ...localSignIn }),
    serveSignInRoutes: () => undefined,
  };
}

/** The MSAL sign-in (on-behalf-of, authorization code) with its routes on the bot's own domain. */
async function msalSignIn(
  deps: TeamsConnectionDeps,
  signInConfig: MsalSignInServiceDeps['config'],
  adapter: ActivityAdapter,
  botAppId: string,
): Promise<SignIn> {
  const { config } = deps;
  const msal = await startMsalSignInService({
    config: signInConfig,
    store: deps.store,
    storeKey: deps.storeKey,
    leaseOwner: leaseOwnerOf(deps.identity, 'msal'),
    server: deps.server,
    baseUrl: () => config.publicBaseUrl ?? listeningUrl(deps.server, config.server.host),
    teamsSso: Boolean(config.bot.id),
    logger: deps.logger,
    now: deps.now,
  });
  return {
    tokens: msal.tokens,
    signInCards: msal.signInCards,
    serveSignInRoutes: (botDeps) => msal.serveRoutes(botDeps, adapter, botAppId),
  };
}

/** Builds the adapter, the sign-in chosen by SIGN_IN_MODE and the proactive senders. */
export async function connectToTeams(deps: TeamsConnectionDeps): Promise<TeamsConnection> {
  const auth = botAuthentication(deps.config, deps.botCertificateKey);
  const adapter = new ActivityAdapter(auth);
  const botAppId = deps.config.bot.id ?? '';
  const accounts = createChannelAccountDirectory(deps.store.db, deps.now);
  const signInConfig = deps.config.signIn;
  const signIn =
    signInConfig.mode === 'msal'
      ? await msalSignIn(deps, signInConfig, adapter, botAppId)
      : botServiceSignIn(deps, auth, botAppId, accounts);
  const send = botConnectorSender(adapter, botAppId, deps.now);
  const alertSend = countingFailures(send, deps.metrics, deps.now);
  return { adapter, botAppId, accounts, ...signIn, send, alertSend };
}

/** The server's own URL once it listens (the base URL when no public one is configured). */
function listeningUrl(server: Server, host: string): string {
  return `http://${host}:${server.address().port}`;
}

function countingFailures(
  send: SendToConversation,
  metrics: AppMetrics | undefined,
  now: () => number,
): SendToConversation {
  if (!metrics) return send;
  return async (reference, activity) => {
    try {
      await send(reference, activity);
    } catch (error) {
      const failure = toTeamsSendError(error, now());
      metrics.alertSendFailed(failure.code, failure.status);
      throw error;
    }
  };
}
