import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { botConnectorSender, type SendToConversation } from '../alerts/bot-connector-sender';
import { toTeamsSendError } from '../alerts/teams-send-error';
import {
  createChannelAccountDirectory,
  type ChannelAccountDirectory,
} from '../bot/channel-accounts';
import {
  createUserTokenProvider,
  userTokenClientFactory,
  type UserTokenClientFactory,
  type UserTokenProvider,
} from '../bot/user-token-provider';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { AppMetrics } from '../metrics';
import { ActivityAdapter } from '../server/activity-adapter';
import type { StoreDatabase } from '../store/open-database';

/** What talking to Teams is built from. */
export interface TeamsConnectionDeps {
  config: Config;
  /** The PEM private key of BOT_CERTIFICATE_KEY_FILE, when the bot uses a certificate. */
  botCertificateKey?: string;
  store: StoreDatabase;
  logger: Logger;
  now: () => number;
  /** Counts failed alert sends (none when absent). */
  metrics?: AppMetrics;
}

/** The bot's connection to Teams: adapter, token service and proactive sends. */
export interface TeamsConnection {
  adapter: ActivityAdapter;
  botAppId: string;
  userTokenClient: UserTokenClientFactory;
  accounts: ChannelAccountDirectory;
  tokens: UserTokenProvider;
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

/** Builds the adapter, the user token provider and the proactive senders. */
export function connectToTeams(deps: TeamsConnectionDeps): TeamsConnection {
  const auth = botAuthentication(deps.config, deps.botCertificateKey);
  const adapter = new ActivityAdapter(auth);
  const botAppId = deps.config.bot.id ?? '';
  const userTokenClient = userTokenClientFactory(auth, botAppId);
  const accounts = createChannelAccountDirectory(deps.store.db, deps.now);
  const tokens = createUserTokenProvider({
    userTokenClient,
    connectionName: deps.config.graph.oauthConnectionName,
    accounts,
    logger: deps.logger,
  });
  const send = botConnectorSender(adapter, botAppId, deps.now);
  const alertSend = countingFailures(send, deps.metrics, deps.now);
  return { adapter, botAppId, userTokenClient, accounts, tokens, send, alertSend };
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
