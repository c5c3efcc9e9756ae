import type { Application, TurnState } from '@microsoft/teams-ai';
import type { ConversationReference } from 'botbuilder';
import type { Server } from 'restify';
import { createBotApplication, type BotDeps } from '../bot/bot-app';
import type { Config } from '../config/config';
import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import { registerBotMessagesRoute } from '../server/bot-messages-route';
import { createStoreBackedStorage } from '../store/bot-state';
import type { StoreDatabase } from '../store/open-database';
import type { TeamsConnection } from './teams-connection';

/** What the bot is assembled from; the keeper's hooks arrive as callbacks. */
export interface BotServiceDeps {
  config: Config;
  teams: TeamsConnection;
  store: StoreDatabase;
  graph: GraphClient;
  server: Server;
  logger: Logger;
  now: () => number;
  watches: BotDeps['watches'];
  onSignedIn: BotDeps['onSignedIn'];
  releaseSignIn: BotDeps['releaseSignIn'];
  onConversationSeen(reference: Partial<ConversationReference>): Promise<void>;
}

/** The Teams AI application the bot runs. */
export interface BotService {
  app: Application<TurnState>;
}

/** Builds the bot and serves it on `POST /api/messages` (and the sign-in routes of its mode). */
export function startBotService(deps: BotServiceDeps): BotService {
  const { config, logger, teams } = deps;
  const { adapter, botAppId, accounts, tokens } = teams;
  const log = logger.child({ module: 'bot-service' });
  adapter.onTurnError = async (context, error) => {
    log.error({ err: { name: error.name, message: error.message } }, 'unhandled bot turn error');
    await context.sendActivity('Sorry, something went wrong on my side. Please try again.');
  };
  const botDeps: BotDeps = {
    storage: createStoreBackedStorage(deps.store.db, deps.now),
    graph: deps.graph,
    tokens,
    signInCards: teams.signInCards,
    accounts,
    db: deps.store.db,
    watches: deps.watches,
    onSignedIn: deps.onSignedIn,
    releaseSignIn: deps.releaseSignIn,
    onConversationSeen: deps.onConversationSeen,
    sendToConversation: teams.send,
    botAppId,
    logger,
    now: deps.now,
  };
  const app = createBotApplication(botDeps);
  teams.serveSignInRoutes(botDeps);
  registerBotMessagesRoute(deps.server, {
    adapter,
    run: (context) => app.run(context).then(() => undefined),
    authenticated: Boolean(config.bot.id),
    logger,
  });
  return { app };
}
