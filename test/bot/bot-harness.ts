import { EventEmitter } from 'node:events';
import { ConfigurationBotFrameworkAuthentication, TestAdapter, type Activity } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import {
  buildBot,
  buildWatches,
  type BotKeeperSide,
  type PresenceStored,
  type WatchesChanged,
} from '../../src/app/service-builders';
import type { TeamsConnection } from '../../src/app/teams-connection';
import type { BotDeps } from '../../src/bot/bot-app';
import { createChannelAccountDirectory } from '../../src/bot/channel-accounts';
import { silentLogger, type Logger } from '../../src/logging/logger';
import { createSignInCards, type SignInCards } from '../../src/bot/sign-in-card';
import { createUserTokenProvider, type UserTokenProvider } from '../../src/bot/user-token-provider';
import { ActivityAdapter } from '../../src/server/activity-adapter';
import { rigFoundation } from '../../tools/bench/rig-foundation';
import { getConversationReference } from '../../src/store/conversation-references';
import type { StoreDatabase } from '../../src/store/open-database';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import type { SignOutOutcome } from '../../src/watch/user-sign-out';
import {
  ADELE_ID,
  ALEX_ID,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../helpers/tenant-simulator-harness';
import type { EngineFixture } from '../helpers/for-each-engine';
import { generatedKeyRing } from '../helpers/generated-certificates';
import { startFakeConnector, type FakeConnector, type RosterMember } from './fake-connector';
import { FakeUserTokenClient } from './fake-user-token-client';

export const TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const BOT_ID = '28:presence-watch-bot';
export const PERSONAL_ID = 'a:personal-alex';
export const GROUP_ID = '19:group-chat@thread.v2';
export const CHANNEL_ID = '19:general@thread.tacv2;messageid=7';

const ALEX: RosterMember = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: ALEX_ID };
const MEGAN: RosterMember = { id: 'user-id-1', name: 'Megan Bowen', aadObjectId: MEGAN_ID };
const ADELE: RosterMember = { id: 'user-id-2', name: 'Adele Vance', aadObjectId: ADELE_ID };

/** A person mention entity as Teams sends it. */
export function mention(id: string, name: string): { type: string; [key: string]: unknown } {
  return { type: 'mention', mentioned: { id, name }, text: `<at>${name}</at>` };
}

/** The bot's own mention. */
export function botMention(): { type: string; [key: string]: unknown } {
  return mention(BOT_ID, 'Presence Watch');
}

/**
 * Everything a bot test drives: the bot as the composition root builds it (`buildBot`, over a real
 * store) on a TestAdapter, the simulator as Graph, and fakes at the edges: the Bot Connector, the
 * token service and the keeper.
 */
export interface BotHarness {
  readonly sim: RunningSimulator;
  readonly connector: FakeConnector;
  readonly tokenClient: FakeUserTokenClient;
  readonly tokens: UserTokenProvider;
  readonly keeperWakes: string[];
  /** Users the keeper was told signed in, as `tenant|user`. */
  readonly signIns: string[];
  /** Sign-out requests the keeper got (token shown as whether there was one). */
  readonly signOuts: { tenantId: string; userId: string; hadToken: boolean }[];
  /** What the keeper answers a sign-out with. */
  signOutOutcome: SignOutOutcome;
  /** Whether the bot remembered the conversation for proactive messages. */
  remembered(conversationId: string): Promise<boolean>;
  /** Messages posted into stored conversations outside a turn (the Bot Connector edge). */
  readonly posted: { conversationId: string; activity: Partial<Activity> }[];
  /** Signs Alex in (a simulator token in the token service). */
  signIn(channelUserId?: string, aadId?: string): Promise<void>;
  /** Sends an activity from Alex (personal chat unless the conversation is given); returns the replies. */
  send(activity: Partial<Activity>): Promise<Partial<Activity>[]>;
  /** What the bot was built with (for parts that work outside a turn). */
  readonly deps: BotDeps;
  readonly adapter: TestAdapter;
  /** Takes what the bot sent since the last `send` or `takeSent` (proactive messages). */
  takeSent(): Partial<Activity>[];
  close(): Promise<void>;
}

/** Another sign-in than the Bot Service one (msal mode). */
export interface SignInOverrides {
  tokens: UserTokenProvider;
  signInCards: SignInCards;
}

/**
 * Starts a bot harness over the engine fixture's store before each test of the enclosing block
 * (signed in as Alex when asked) and closes it after (mocha hooks); `started` gets each one.
 */
export function useBotHarness(
  fixture: EngineFixture,
  started: (bot: BotHarness) => void,
  options: { readonly signedIn?: boolean } = {},
): void {
  let bot: BotHarness | undefined;
  beforeEach(async function () {
    this.timeout(20000);
    bot = await startBotHarness(fixture.store);
    if (options.signedIn === true) await bot.signIn();
    started(bot);
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });
}

/** Starts the simulator, a fake connector, and the bot over `store` (logging to `logger`, silent by default). */
export async function startBotHarness(
  store: StoreDatabase,
  overrides?: (sim: RunningSimulator) => SignInOverrides,
  logger?: Logger,
): Promise<BotHarness> {
  const sim = await startTestSimulator();
  const connector = await startFakeConnector(
    new Map([
      [PERSONAL_ID, [ALEX]],
      [GROUP_ID, [ALEX, MEGAN, ADELE]],
      [CHANNEL_ID.split(';')[0]!, [ALEX, MEGAN, ADELE]],
      [CHANNEL_ID, [ALEX, MEGAN, ADELE]],
    ]),
  );
  const base = rigFoundation({
    store,
    keyRing: (await generatedKeyRing('bot')).keyRing,
    graphBaseUrl: sim.graphBaseUrl,
    now: () => 1_700_000_000_000,
    ...(logger ? { logger } : {}),
  });
  const tokenClient = new FakeUserTokenClient();
  const posted: BotHarness['posted'] = [];
  const teams = fakeTeamsConnection({ store, now: base.now, tokenClient, sim, posted, overrides });
  const keeper = new RecordingKeeper();
  const presenceStored: PresenceStored = new EventEmitter();
  const watchesChanged: WatchesChanged = new EventEmitter();
  watchesChanged.on('changed', (tenantId) => keeper.wakes.push(tenantId));
  const watches = buildWatches(base, watchesChanged, presenceStored);
  const { app } = buildBot(base, teams.connection, keeper, watches);
  const adapter = new TestAdapter(async (context) => {
    await app.run(context);
  });
  adapter.use(async (context, next) => {
    const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), {
      baseUri: connector.url,
    });
    context.turnState.set(context.adapter.ConnectorClientKey, client);
    await next();
  });
  return {
    sim,
    connector,
    tokenClient,
    tokens: teams.connection.tokens,
    keeperWakes: keeper.wakes,
    signIns: keeper.signIns,
    signOuts: keeper.signOuts,
    get signOutOutcome() {
      return keeper.signOutOutcome;
    },
    set signOutOutcome(outcome) {
      keeper.signOutOutcome = outcome;
    },
    remembered: async (conversationId) =>
      (await getConversationReference(store.db, conversationId)) !== undefined,
    posted,
    async signIn(channelUserId = 'user-id-0', aadId = ALEX_ID) {
      tokenClient.tokens.set(channelUserId, await tokenFor(sim, aadId));
    },
    deps: teams.botDeps(),
    adapter,
    takeSent: () => adapter.activeQueue.splice(0),
    async send(activity) {
      const before = adapter.activeQueue.length;
      await adapter.processActivity({
        type: 'message',
        channelId: 'msteams',
        serviceUrl: connector.url,
        from: { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: ALEX_ID },
        recipient: { id: BOT_ID, name: 'Presence Watch' },
        conversation: {
          id: PERSONAL_ID,
          conversationType: 'personal',
          tenantId: TENANT_ID,
          isGroup: false,
          name: '',
        },
        ...activity,
      } as Activity);
      return adapter.activeQueue.splice(before);
    },
    async close() {
      await connector.close();
      await sim.stop();
    },
  };
}

/** The keeper at the edge: records what the bot tells it and answers sign-outs as told. */
class RecordingKeeper implements BotKeeperSide {
  readonly wakes: string[] = [];
  readonly signIns: string[] = [];
  readonly signOuts: BotHarness['signOuts'] = [];
  signOutOutcome: SignOutOutcome = { subscriptionDeleted: true, coveredByOthers: new Set() };

  userSignedIn(tenantId: string, userId: string): void {
    this.signIns.push(`${tenantId}|${userId}`);
  }

  userSignedOut: BotKeeperSide['userSignedOut'] = async ({ tenantId, userId, token }) => {
    this.signOuts.push({ tenantId, userId, hadToken: token !== undefined });
    return this.signOutOutcome;
  };
}

/**
 * The Teams side at the edge: the Bot Service sign-in over a fake token service (or the given
 * one), proactive posts recorded, and the bot's deps as the sign-in routes receive them.
 */
function fakeTeamsConnection(edge: {
  store: StoreDatabase;
  now: () => number;
  tokenClient: FakeUserTokenClient;
  sim: RunningSimulator;
  posted: BotHarness['posted'];
  overrides: ((sim: RunningSimulator) => SignInOverrides) | undefined;
}): { connection: TeamsConnection; botDeps(): BotDeps } {
  const { sim, posted } = edge;
  const accounts = createChannelAccountDirectory(edge.store.db, edge.now);
  const userTokenClient = async (): Promise<FakeUserTokenClient> => edge.tokenClient;
  const signIn = edge.overrides?.(sim) ?? {
    tokens: createUserTokenProvider({
      userTokenClient,
      connectionName: 'graph',
      accounts,
      logger: silentLogger(),
    }),
    signInCards: createSignInCards({
      connectionName: 'graph',
      botAppId: '',
      userTokenClient,
      localSignInBaseUrl: sim.url,
    }),
  };
  const send: TeamsConnection['send'] = async (reference, activity) => {
    posted.push({ conversationId: reference.conversation?.id ?? '', activity });
  };
  let served: BotDeps | undefined;
  return {
    connection: {
      adapter: new ActivityAdapter(new ConfigurationBotFrameworkAuthentication({})),
      botAppId: '',
      accounts,
      ...signIn,
      serveSignInRoutes: (deps) => {
        served = deps;
      },
      send,
      alertSend: send,
    },
    botDeps() {
      if (!served) throw new Error('the bot was built without its sign-in routes');
      return served;
    },
  };
}

/** A group-chat conversation account. */
export const GROUP_CONVERSATION = {
  id: GROUP_ID,
  conversationType: 'groupChat',
  tenantId: TENANT_ID,
  isGroup: true,
  name: 'Project',
};

/** A channel conversation account. */
export const CHANNEL_CONVERSATION = {
  id: CHANNEL_ID,
  conversationType: 'channel',
  tenantId: TENANT_ID,
  isGroup: true,
  name: 'General',
};

/** The Adaptive Card JSON of a reply, or undefined. */
export function cardOf(reply: Partial<Activity> | undefined): Record<string, unknown> | undefined {
  const attachment = reply?.attachments?.[0];
  return attachment?.contentType === 'application/vnd.microsoft.card.adaptive'
    ? (attachment.content as Record<string, unknown>)
    : undefined;
}

/** All text in a card or activity, for loose assertions. */
export function allText(value: unknown): string {
  return JSON.stringify(value ?? '');
}
