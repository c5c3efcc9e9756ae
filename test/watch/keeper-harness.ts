import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NotificationService } from '../../src/app/notification-service';
import type { GraphClient } from '../../src/graph';
import { silentLogger, type Logger } from '../../src/logging/logger';
import { KeyRing } from '../../src/notifications/keys/key-ring';
import type { RunningSimulator, SimulatorOptions } from '../../tools/simulator/simulator-server';
import type { PresenceState } from '../../tools/simulator/presence/presence-values';
import type { SimSubscription } from '../../tools/simulator/subscriptions/sim-subscription';
import { startKeeperStack, type KeeperOverrides } from '../../tools/bench/keeper-stack';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import {
  listSubscriptions,
  type GraphSubscriptionRecord,
} from '../../src/store/graph-subscriptions';
import { removeWatch, upsertWatch } from '../../src/store/watches';
import type { KeeperConfig } from '../../src/watch/keeper-config';
import type { SignInRequiredEvent } from '../../src/watch/keeper-context';
import type { SubscriptionKeeper } from '../../src/watch/subscription-keeper';
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

/**
 * The simulator, a store, and the app's webhook, inbox worker and keepers as the composition root
 * builds them (`buildNotifications`, `buildKeeper`), on the simulator clock.
 */
export interface KeeperHarness {
  readonly sim: RunningSimulator;
  readonly store: StoreDatabase;
  readonly tokens: SimTokenProvider;
  readonly graph: GraphClient;
  readonly notifications: NotificationService;
  readonly signIns: SignInRequiredEvent[];
  readonly tenantId: string;
  readonly config: KeeperConfig;
  keeper(overrides?: KeeperOverrides): SubscriptionKeeper;
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
  /** The logger of the receiver, the worker and the keepers (default silent). */
  readonly logger?: Logger;
}

/** Starts the simulator, a store (a temp SQLite file unless given) and the keeper stack. */
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
  const tokens = new SimTokenProvider(sim);
  const stack = await startKeeperStack({
    sim,
    store,
    keyRing: KeyRing.fromMaterial([await generatedCertificate('keeper')]),
    tokens,
    appId: TEST_APP_ID,
    dataDir: dir,
    workerThreads: 0,
    settings: options.config,
    logger: options.logger ?? silentLogger(),
  });
  const { notifications, base } = stack;
  const { graph, now } = base;
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
    signIns: stack.signIns,
    tenantId: sim.tenantId,
    config: stack.config,
    keeper: (overrides) => stack.keeper(overrides),
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
      await stack.close();
      if (!options.store) await store.close();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
