import { EventEmitter } from 'node:events';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { AlertService } from '../../src/app/alert-service';
import {
  buildAlerts,
  buildWatches,
  type PresenceStored,
  type WatchesChanged,
} from '../../src/app/service-builders';
import { AppError } from '../../src/errors/app-error';
import { silentLogger } from '../../src/logging/logger';
import type { StoreDatabase } from '../../src/store/open-database';
import { rigFoundation } from '../../tools/bench/rig-foundation';
import { generatedKeyRing } from '../helpers/generated-certificates';
import { TEAMS_RETRY } from '../../src/backoff/backoff';
import { fanOutPresenceChanges, type DisplayNameLookup } from '../../src/alerts/alert-fanout';
import {
  AlertSender,
  type AlertSenderDeps,
  type AlertSenderOptions,
} from '../../src/alerts/alert-sender';
import type { Timers } from '../../src/background/timers';
import { botConnectorSender } from '../../src/alerts/bot-connector-sender';
import { ConversationPacer } from '../../src/alerts/conversation-pacer';
import type { ConversationType, Store, StoreExecutor } from '../../src/store/database-schema';
import { nextAlertDueAt } from '../../src/store/alert-queue';
import { upsertConversationReference } from '../../src/store/conversation-references';
import { insertPresenceChange, type PresenceValue } from '../../src/store/presence-change-queue';
import { upsertWatch, type Watch, type WatchInput } from '../../src/store/watches';
import { createWatchService, type WatchService } from '../../src/watch/watch-service';
import { MAX_PRESENCE_IDS } from '../../src/graph/presence-resource';
import { FakeBotConnector } from '../helpers/fake-bot-connector';

export const TENANT = 'tenant-1';
export const START = 1_700_000_000_000;

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public value = START) {}
  readonly now = (): number => this.value;
  advanceTo(time: number): void {
    this.value = Math.max(this.value, time);
  }
}

/** The test clock and a fake Bot Connector recording on it. */
export interface ConnectorEdge {
  readonly clock: TestClock;
  readonly connector: FakeBotConnector;
}

/** A fresh clock and a started connector for each test of the enclosing block (mocha hooks). */
export function useConnectorEdge(): ConnectorEdge {
  let clock = new TestClock();
  let connector = new FakeBotConnector(clock.now);
  beforeEach(async function () {
    this.timeout(20_000);
    clock = new TestClock();
    connector = new FakeBotConnector(clock.now);
    await connector.start();
  });
  afterEach(() => connector.stop());
  return {
    get clock() {
      return clock;
    },
    get connector() {
      return connector;
    },
  };
}

/** Timers that never fire: tests drive passes with `runOnce`. */
export const INERT_TIMERS: Timers = {
  setTimeout: () => undefined,
  clearTimeout: () => undefined,
};

export const SENDER_OPTIONS: AlertSenderOptions = {
  owner: 'sender-a',
  conversationsPerClaim: 50,
  leaseMs: 60_000,
  pollIntervalMs: 5_000,
  idleFloorMs: 200,
  maxAttempts: 5,
  backoff: { ...TEAMS_RETRY, baseMs: 1_000, maxMs: 60_000 },
  maxChangesPerCard: 10,
};

/** A watch with default options. */
export function watchInput(
  conversationId: string,
  targetId: string,
  options: Partial<WatchInput> = {},
): WatchInput {
  return {
    tenantId: TENANT,
    conversationId,
    watcherId: 'watcher-1',
    targetId,
    onlyWhenAvailable: false,
    once: false,
    includeActivity: false,
    ...options,
  };
}

/** Stores a watch. */
export function addWatch(
  db: StoreExecutor,
  conversationId: string,
  targetId: string,
  options: Partial<WatchInput> = {},
): Promise<Watch> {
  return upsertWatch(db, watchInput(conversationId, targetId, options), START);
}

/** How a stored conversation differs from a personal chat in TENANT with the user `29:user`. */
export interface ConversationOptions {
  readonly tenantId?: string;
  readonly conversationType?: ConversationType;
  readonly name?: string | null;
  /** The user in the stored reference. */
  readonly user?: { id: string; name: string; aadObjectId?: string };
}

/** Stores a conversation reference (a personal chat unless told) pointing at the fake connector. */
export function addConversation(
  db: StoreExecutor,
  connector: FakeBotConnector,
  conversationId: string,
  options: ConversationOptions = {},
): Promise<void> {
  const { tenantId = TENANT, conversationType = 'personal', name = null } = options;
  return upsertConversationReference(
    db,
    {
      conversationId,
      tenantId,
      serviceUrl: connector.serviceUrl,
      conversationType,
      name,
      reference: {
        serviceUrl: connector.serviceUrl,
        channelId: 'msteams',
        conversation: {
          id: conversationId,
          isGroup: conversationType !== 'personal',
          conversationType,
          tenantId,
          name: name ?? '',
        },
        bot: { id: '28:bot', name: 'Presence Watch' },
        user: options.user ?? { id: '29:user', name: 'User' },
      },
    },
    START,
  );
}

const presence = (availability: string, activity = availability): PresenceValue => ({
  availability,
  activity,
});

/** Writes a presence change for `userId` to the outbox. */
export async function addChange(
  db: StoreExecutor,
  userId: string,
  from: [string, string?] | null,
  to: [string, string?],
  observedAt = START,
): Promise<number> {
  const change = await insertPresenceChange(db, {
    tenantId: TENANT,
    userId,
    from: from ? presence(...from) : null,
    to: presence(...to),
    observedAt,
    source: 'notification',
    createdAt: observedAt,
  });
  return change.id;
}

/** Runs the fan-out once at the clock's time. */
export function fanOut(
  store: Store,
  clock: TestClock,
  coalesceWindowMs = 2_000,
  displayNames: DisplayNameLookup = async (_tenant, ids) =>
    new Map(ids.map((id) => [id, `Name of ${id}`])),
) {
  return fanOutPresenceChanges(store, {
    owner: 'fanout-a',
    batchSize: 500,
    leaseMs: 30_000,
    coalesceWindowMs,
    now: clock.now,
    displayNames,
    logger: silentLogger(),
  });
}

/** A real watch service over `store` whose keeper records each tenant it is told to plan again. */
export function recordingWatches(
  store: Store,
  now: () => number,
  replans: string[] = [],
): WatchService {
  return createWatchService({
    store,
    coverage: { redundancy: 1, maxIdsPerSubscription: MAX_PRESENCE_IDS },
    onWatchesChanged: (tenantId) => void replans.push(tenantId),
    now,
  });
}

/**
 * A sender over `store` and a real botbuilder CloudAdapter (no credentials) posting to the fake
 * connector; the watches of lost conversations go through a watch service whose keeper records
 * the tenants it is told to replan in `extra.replans`.
 */
export function createSender(
  store: Store,
  clock: TestClock,
  overrides: Partial<AlertSenderOptions> = {},
  extra: {
    replans?: string[];
    timers?: Timers;
    send?: ReturnType<typeof botConnectorSender>;
    onCardSent?: AlertSenderDeps['onCardSent'];
    onPass?: () => void;
  } = {},
): AlertSender {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  return new AlertSender({
    db: store.db,
    logger: silentLogger(),
    send: extra.send ?? botConnectorSender(adapter, '', clock.now),
    pacer: new ConversationPacer(),
    now: clock.now,
    timers: extra.timers ?? INERT_TIMERS,
    random: () => 0.5,
    options: { ...SENDER_OPTIONS, ...overrides },
    watches: recordingWatches(store, clock.now, extra.replans),
    onCardSent: extra.onCardSent,
    onPass: extra.onPass,
  });
}

/** The real adapter-backed send function, for wrapping. */
export function realSend(clock: TestClock) {
  return botConnectorSender(
    new CloudAdapter(new ConfigurationBotFrameworkAuthentication({})),
    '',
    clock.now,
  );
}

/** Runs sender passes, moving the clock to each next due time, until nothing is pending. */
export async function drain(
  sender: AlertSender,
  db: StoreExecutor,
  clock: TestClock,
  maxPasses = 2_000,
): Promise<void> {
  for (let pass = 0; pass < maxPasses; pass += 1) {
    const result = await sender.runOnce();
    if (result.claimed > 0) continue;
    const due = await nextAlertDueAt(db);
    if (due === undefined) return;
    clock.advanceTo(due);
  }
  throw new Error('the outbox did not drain');
}

/** Alert delivery as the composition root builds it, and the tenants it asked the keeper to replan. */
export interface RunningAlerts {
  readonly service: AlertService;
  readonly replans: string[];
}

/**
 * Starts alert delivery with `buildAlerts` over `store` on the test clock (no coalescing window),
 * posting through a real botbuilder adapter to the conversations' service URL; nobody is signed in,
 * so cards name people as stored with their watches.
 */
export async function startAlerts(store: StoreDatabase, clock: TestClock): Promise<RunningAlerts> {
  const base = rigFoundation({
    store,
    keyRing: (await generatedKeyRing('alerts')).keyRing,
    graphBaseUrl: 'http://127.0.0.1:9/v1.0',
    now: clock.now,
    env: { ALERT_COALESCE_SECONDS: '0' },
  });
  const tokens = {
    getToken: () => Promise.reject(new AppError('TOKEN_UNAVAILABLE', 'nobody is signed in')),
  };
  const replans: string[] = [];
  const watchesChanged: WatchesChanged = new EventEmitter();
  watchesChanged.on('changed', (tenantId) => void replans.push(tenantId));
  const presenceStored: PresenceStored = new EventEmitter();
  const watches = buildWatches(base, watchesChanged, presenceStored);
  const service = buildAlerts(
    base,
    { alertSend: realSend(clock), tokens },
    watches,
    presenceStored,
  );
  return { service, replans };
}
