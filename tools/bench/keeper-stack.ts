import { EventEmitter } from 'node:events';
import type { NotificationService } from '../../src/app/notification-service';
import { createProcessIdentity } from '../../src/app/process-identity';
import {
  buildKeeper,
  buildNotifications,
  keeperSettingsOf,
  type PresenceStored,
  type WatchesChanged,
} from '../../src/app/service-builders';
import type { Timers } from '../../src/background/timers';
import type { GraphClient } from '../../src/graph';
import { silentLogger, type Logger } from '../../src/logging/logger';
import type { KeyRing } from '../../src/notifications/keys/key-ring';
import { closeServer, listen } from '../../src/server/http-server';
import type { StoreDatabase } from '../../src/store/open-database';
import type { KeeperConfig } from '../../src/watch/keeper-config';
import type { SignInRequiredEvent } from '../../src/watch/keeper-context';
import type { KeeperSignals, SubscriptionKeeper } from '../../src/watch/subscription-keeper';
import type { DelegatedTokenProvider } from '../../src/watch/token-provider';
import type { RunningSimulator } from '../simulator/simulator-server';
import { rigFoundation, type RigFoundation } from './rig-foundation';

/** What a keeper stack runs over: the simulator as Graph, a store, keys and delegated tokens. */
export interface KeeperStackOptions {
  readonly sim: RunningSimulator;
  readonly store: StoreDatabase;
  readonly keyRing: KeyRing;
  readonly tokens: DelegatedTokenProvider;
  /** The app id the validation tokens are issued to (NOTIFICATION_AUDIENCES). */
  readonly appId: string;
  readonly dataDir: string;
  readonly workerThreads: number;
  /** Keeper settings over the configured ones (the public URL is the stack's own). */
  readonly settings?: Partial<KeeperConfig>;
  /** The logger of the receiver, the worker and the keepers (default silent). */
  readonly logger?: Logger;
  /** The keepers' jitter source (default a fixed 0.5). */
  readonly random?: () => number;
}

/** What one keeper of the stack runs with instead of the stack's own. */
export interface KeeperOverrides {
  /** Another connection to the same database (another instance). */
  readonly store?: StoreDatabase;
  readonly graph?: GraphClient;
  readonly tokens?: DelegatedTokenProvider;
  readonly logger?: Logger;
  readonly timers?: Timers;
  /** Names the keeper's process (its lease owner starts with it); each keeper is its own process. */
  readonly leaseOwner?: string;
  /** Where the keeper announces the presence changes its resyncs store (nobody listens unless given). */
  readonly presenceStored?: PresenceStored;
  /** Where the keeper hears that a tenant's watches changed (nobody tells it unless given). */
  readonly watchesChanged?: WatchesChanged;
}

/** The app's webhook and inbox worker on loopback, and keepers built as the app builds them. */
export interface KeeperStack {
  readonly base: RigFoundation;
  readonly notifications: NotificationService;
  /** The keepers' settings. */
  readonly config: KeeperConfig;
  /** What the keepers asked users to sign in again for. */
  readonly signIns: SignInRequiredEvent[];
  /** Builds a keeper (not started) that the stack's notifications signal. */
  keeper(overrides?: KeeperOverrides): SubscriptionKeeper;
  /** Stops the keepers, the server and the worker (the store and the simulator stay). */
  close(): Promise<void>;
}

/** Builds the webhook with `buildNotifications` and serves it on a loopback port. */
export async function startKeeperStack(options: KeeperStackOptions): Promise<KeeperStack> {
  const { sim } = options;
  const base = rigFoundation({
    store: options.store,
    keyRing: options.keyRing,
    graphBaseUrl: sim.graphBaseUrl,
    now: () => sim.clock.now(),
    logger: options.logger ?? silentLogger(),
    ...(options.random ? { random: options.random } : {}),
    env: {
      DATA_DIR: options.dataDir,
      GRAPH_JWKS_URL: sim.jwksUrl,
      NOTIFICATION_AUDIENCES: options.appId,
      NOTIFICATION_WORKER_THREADS: String(options.workerThreads),
    },
  });
  const keepers: SubscriptionKeeper[] = [];
  const notifications = buildNotifications(base, broadcastTo(keepers), new EventEmitter());
  const port = await listen(base.server, 0, '127.0.0.1');
  const settings = { ...options.settings, publicBaseUrl: `http://127.0.0.1:${port}` };
  const signIns: SignInRequiredEvent[] = [];
  return {
    base,
    notifications,
    config: keeperSettingsOf(base.config, settings),
    signIns,
    keeper(overrides = {}) {
      const keeper = buildKeeper(
        {
          ...base,
          store: overrides.store ?? base.store,
          graph: overrides.graph ?? base.graph,
          logger: overrides.logger ?? base.logger,
          timers: overrides.timers ?? base.timers,
          identity: createProcessIdentity(overrides.leaseOwner ?? 'keeper'),
        },
        { tokens: overrides.tokens ?? options.tokens },
        settings,
        (event) => void signIns.push(event),
        overrides.presenceStored ?? new EventEmitter(),
        overrides.watchesChanged ?? new EventEmitter(),
      );
      keepers.push(keeper);
      return keeper;
    },
    async close() {
      await Promise.all(keepers.map((keeper) => keeper.stop()));
      await closeServer(base.server);
      await notifications.stop();
    },
  };
}

/** Signals every keeper built so far, as the notifications of one process signal its keeper. */
function broadcastTo(keepers: readonly SubscriptionKeeper[]): KeeperSignals {
  return {
    wake: () => keepers.forEach((keeper) => keeper.wake()),
    subscriptionRemoved: (id) => keepers.forEach((keeper) => keeper.subscriptionRemoved(id)),
    requestResync: (tenantId, ids, owner) => {
      const list = [...ids];
      keepers.forEach((keeper) => keeper.requestResync(tenantId, list, owner));
    },
    confirmPresence: (tenantId, ids, owner) => {
      const list = [...ids];
      keepers.forEach((keeper) => keeper.confirmPresence(tenantId, list, owner));
    },
  };
}
