import { MemoryStorage, TestAdapter, type Activity, type ConversationReference } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { createBotApplication, type BotDeps } from '../../src/bot/bot-app';
import { createChannelAccountDirectory } from '../../src/bot/channel-accounts';
import { createSignInCards, type SignInCards } from '../../src/bot/sign-in-card';
import { createUserTokenProvider, type UserTokenProvider } from '../../src/bot/user-token-provider';
import { createGraphClient } from '../../src/graph';
import { MAX_PRESENCE_IDS } from '../../src/graph/presence-resource';
import { silentLogger } from '../../src/logging/logger';
import type { Store } from '../../src/store/database-schema';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import type { SignOutOutcome } from '../../src/watch/user-sign-out';
import { createWatchService } from '../../src/watch/watch-service';
import {
  ADELE_ID,
  ALEX_ID,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../helpers/tenant-simulator-harness';
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

/** Everything a bot test drives: the app on a TestAdapter, the simulator, store and fakes. */
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
  readonly seen: Partial<ConversationReference>[];
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

/** Starts the simulator, a fake connector, and the bot over the store. */
export async function startBotHarness(
  store: Store,
  overrides?: (sim: RunningSimulator) => SignInOverrides,
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
  const tokenClient = new FakeUserTokenClient();
  const { db } = store;
  const accounts = createChannelAccountDirectory(db);
  const logger = silentLogger();
  const signIn = overrides?.(sim);
  const tokens =
    signIn?.tokens ??
    createUserTokenProvider({
      userTokenClient: async () => tokenClient,
      connectionName: 'graph',
      accounts,
      logger,
    });
  const now = (): number => 1_700_000_000_000;
  const keeperWakes: string[] = [];
  const signIns: string[] = [];
  const signOuts: BotHarness['signOuts'] = [];
  const seen: Partial<ConversationReference>[] = [];
  const posted: BotHarness['posted'] = [];
  const deps: BotDeps = {
    storage: new MemoryStorage(),
    graph: createGraphClient({ baseUrl: sim.graphBaseUrl, logger }),
    tokens,
    signInCards:
      signIn?.signInCards ??
      createSignInCards({
        connectionName: 'graph',
        botAppId: '',
        userTokenClient: async () => tokenClient,
        localSignInBaseUrl: sim.url,
      }),
    accounts,
    db,
    watches: createWatchService({
      store,
      coverage: { redundancy: 2, maxIdsPerSubscription: MAX_PRESENCE_IDS },
      keeper: {
        requestReplan: (tenantId = '') => void keeperWakes.push(tenantId),
        wake: () => undefined,
      },
      now,
    }),
    onSignedIn: (tenantId, userId) => void signIns.push(`${tenantId}|${userId}`),
    releaseSignIn: async ({ tenantId, userId, token }) => {
      signOuts.push({ tenantId, userId, hadToken: token !== undefined });
      return harness.signOutOutcome;
    },
    onConversationSeen: (reference) => void seen.push(reference),
    sendToConversation: async (reference, activity) => {
      posted.push({ conversationId: reference.conversation?.id ?? '', activity });
    },
    logger,
    now,
  };
  const app = createBotApplication(deps);
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
  const harness: BotHarness = {
    sim,
    connector,
    tokenClient,
    tokens,
    keeperWakes,
    signIns,
    signOuts,
    signOutOutcome: { subscriptionDeleted: true, coveredByOthers: new Set() },
    seen,
    posted,
    async signIn(channelUserId = 'user-id-0', aadId = ALEX_ID) {
      tokenClient.tokens.set(channelUserId, await tokenFor(sim, aadId));
    },
    deps,
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
  return harness;
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
