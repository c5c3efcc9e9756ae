import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'restify';
import {
  startNotificationService,
  type NotificationService,
} from '../../src/app/notification-service';
import { loadConfig } from '../../src/config/config';
import { createGraphClient, type GraphClient } from '../../src/graph';
import { silentLogger, type Logger } from '../../src/logging/logger';
import { KeyRing } from '../../src/notifications/keys/key-ring';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import type { RunningSimulator, SimulatorOptions } from '../../tools/simulator/simulator-server';
import type { PresenceState } from '../../tools/simulator/presence/presence-values';
import type { SimSubscription } from '../../tools/simulator/subscriptions/sim-subscription';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { createStoreKeyRing } from '../../src/store/store-keys';
import {
  listSubscriptions,
  type GraphSubscriptionRecord,
} from '../../src/store/graph-subscriptions';
import { createStoredSubscriptionSecrets } from '../../src/store/subscription-secrets';
import { removeWatch, upsertWatch } from '../../src/store/watches';
import { keeperConfig, type KeeperConfig } from '../../src/watch/keeper-config';
import type { KeeperDeps, SignInRequiredEvent } from '../../src/watch/keeper-context';
import { createKeeperEventSink } from '../../src/watch/notification-event-sink';
import {
  createSubscriptionKeeper,
  type KeeperSignals,
  type SubscriptionKeeper,
} from '../../src/watch/subscription-keeper';
import { generatedCertificate } from '../helpers/generated-certificates';
import { startTestSimulator, TEST_APP_ID } from '../helpers/tenant-simulator-harness';
import { SimTokenProvider } from './sim-token-provider';

const BATCH_WINDOW_MS = 25;
const CHANGE_WAIT_MS = 20_000;
const NO_CHANGE_MESSAGE =
  'setPresence: no presence change was recorded. A notification that differs from a presence ' +
  'observed less than ORDER_DOUBT_WINDOW_MS before waits for a confirming read, which only a ' +
  'started keeper makes: advance the simulator clock past the window first, or start the keeper.';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function countChanges(store: StoreDatabase): Promise<number> {
  const rows = await store.db.selectFrom('presence_changes').select('id').execute();
  return rows.length;
}

/** A presence change row as the tests read it. */
export interface ChangeRow {
  userId: string;
  from: string | null;
  to: string;
  source: string;
}

/** The simulator, the real receiver on loopback, a store, and keepers sharing the simulator clock. */
export interface KeeperHarness {
  readonly sim: RunningSimulator;
  readonly store: StoreDatabase;
  readonly tokens: SimTokenProvider;
  readonly graph: GraphClient;
  readonly notifications: NotificationService;
  readonly signIns: SignInRequiredEvent[];
  readonly tenantId: string;
  readonly config: KeeperConfig;
  keeper(overrides?: Partial<KeeperDeps>): SubscriptionKeeper;
  watch(conversationId: string, watcherId: string, targetId: string): Promise<void>;
  unwatch(conversationId: string, targetId: string): Promise<void>;
  /** Sets presence in the simulator and waits for the change to reach the outbox (unless told not to). */
  setPresence(userId: string, state: PresenceState, expectChange?: boolean): Promise<void>;
  /** Waits until every simulator delivery was attempted and the inbox is drained. */
  settle(): Promise<void>;
  changes(): Promise<ChangeRow[]>;
  rows(): Promise<GraphSubscriptionRecord[]>;
  live(): SimSubscription[];
  close(): Promise<void>;
}

/** What a harness is started with. */
export interface HarnessOptions {
  readonly store?: StoreDatabase;
  readonly simulator?: Partial<SimulatorOptions>;
  readonly config?: Partial<KeeperConfig>;
  /** The receiver's and worker's logger (default silent). */
  readonly logger?: Logger;
}

/** Starts the simulator, a store (a temp SQLite file unless given), the receiver and the keeper sink. */
export async function startKeeperHarness(options: HarnessOptions = {}): Promise<KeeperHarness> {
  const sim = await startTestSimulator({
    clockSpeed: 1,
    batchWindowMs: BATCH_WINDOW_MS,
    ...options.simulator,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-keeper-'));
  const store =
    options.store ??
    (await openDatabase({ kind: 'sqlite', file: path.join(dir, 'store.sqlite') }, silentLogger()));
  const storeKey = createStoreKeyRing(randomBytes(32));
  const keyRing = KeyRing.fromMaterial([await generatedCertificate('keeper')]);
  const now = (): number => sim.clock.now();
  const keepers: SubscriptionKeeper[] = [];
  const signals: KeeperSignals = {
    wake: () => keepers.forEach((k) => k.wake()),
    subscriptionRemoved: (id) => keepers.forEach((k) => k.subscriptionRemoved(id)),
    requestResync: (tenant, ids, owner) => {
      const list = [...ids];
      keepers.forEach((k) => k.requestResync(tenant, list, owner));
    },
    confirmPresence: (tenant, ids, owner) => {
      const list = [...ids];
      keepers.forEach((k) => k.confirmPresence(tenant, list, owner));
    },
  };
  const server: Server = createHttpServer(silentLogger());
  const notifications = startNotificationService({
    config: loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      GRAPH_JWKS_URL: sim.jwksUrl,
      NOTIFICATION_AUDIENCES: TEST_APP_ID,
      NOTIFICATION_WORKER_THREADS: '0',
    }),
    store,
    keyRing,
    secrets: createStoredSubscriptionSecrets(store.db, storeKey),
    sink: createKeeperEventSink({ signals, logger: silentLogger(), now }),
    server,
    logger: options.logger ?? silentLogger(),
    now,
  });
  const port = await listen(server, 0, '127.0.0.1');
  const config = keeperConfig({ publicBaseUrl: `http://127.0.0.1:${port}`, ...options.config });
  const tokens = new SimTokenProvider(sim);
  const graph = createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger(), now });
  const signIns: SignInRequiredEvent[] = [];
  const settle = async (): Promise<void> => {
    await delay(BATCH_WINDOW_MS * 2);
    await sim.deliveriesSettled();
    while ((await notifications.worker.drainOnce()) > 0);
  };
  return {
    sim,
    store,
    tokens,
    graph,
    notifications,
    signIns,
    tenantId: sim.tenantId,
    config,
    keeper(overrides = {}) {
      const keeper = createSubscriptionKeeper({
        db: store.db,
        graph,
        tokens,
        storeKey,
        keyRing,
        logger: silentLogger(),
        now,
        config,
        random: () => 0.5,
        onSignInRequired: (event) => void signIns.push(event),
        ...overrides,
      });
      keepers.push(keeper);
      return keeper;
    },
    async watch(conversationId, watcherId, targetId) {
      await upsertWatch(
        store.db,
        {
          tenantId: sim.tenantId,
          conversationId,
          watcherId,
          targetId,
          onlyWhenAvailable: false,
          once: false,
          includeActivity: false,
        },
        now(),
      );
    },
    async unwatch(conversationId, targetId) {
      await removeWatch(store.db, conversationId, targetId);
    },
    async setPresence(userId, state, expectChange = true) {
      const before = await countChanges(store);
      const deadline = Date.now() + CHANGE_WAIT_MS;
      sim.setPresence(userId, state);
      await settle();
      while (expectChange && (await countChanges(store)) === before) {
        if (Date.now() > deadline) assert.fail(NO_CHANGE_MESSAGE);
        await delay(10);
        await settle();
      }
    },
    settle,
    async changes() {
      const rows = await store.db
        .selectFrom('presence_changes')
        .selectAll()
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        userId: row.user_id,
        from: row.from_availability,
        to: row.to_availability,
        source: row.source,
      }));
    },
    rows: () => listSubscriptions(store.db),
    live: () => sim.subscriptions().filter((s) => s.expiresAt > now()),
    async close() {
      await Promise.all(keepers.map((k) => k.stop()));
      await closeServer(server);
      await notifications.stop();
      if (!options.store) await store.close();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
