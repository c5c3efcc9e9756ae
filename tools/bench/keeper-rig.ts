import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'restify';
import {
  startNotificationService,
  type NotificationService,
} from '../../src/app/notification-service';
import { loadConfig } from '../../src/config/config';
import { createGraphClient } from '../../src/graph';
import { silentLogger } from '../../src/logging/logger';
import { generateSelfSignedCertificate } from '../../src/notifications/keys/certificate';
import { KeyRing } from '../../src/notifications/keys/key-ring';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import { startSimulator, type RunningSimulator } from '../simulator/simulator-server';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { createStoreKeyRing } from '../../src/store/store-keys';
import { createStoredSubscriptionSecrets } from '../../src/store/subscription-secrets';
import { keeperConfig } from '../../src/watch/keeper-config';
import { scaledTimers } from '../../src/background/timers';
import { createKeeperEventSink } from '../../src/watch/notification-event-sink';
import {
  createSubscriptionKeeper,
  type KeeperSignals,
  type SubscriptionKeeper,
} from '../../src/watch/subscription-keeper';
import { BenchTokenProvider } from './bench-token-provider';
import type { KeeperOrg } from './keeper-org';

/** The app id the bench subscribes as (the validation tokens' audience). */
export const BENCH_APP_ID = '0be9c000-1111-4222-8333-444455556666';

/** The simulator's reauthorizationRequired lead is 10 minutes; tokens are refreshed before it. */
const TOKEN_REFRESH_LEAD_MS = 15 * 60_000;

/** The simulator with the generated organisation, the real receiver on loopback, a store and keepers. */
export interface KeeperRig {
  readonly sim: RunningSimulator;
  readonly store: StoreDatabase;
  readonly tokens: BenchTokenProvider;
  readonly notifications: NotificationService;
  /** Builds a keeper on the simulator's clock and timers, told about lifecycle events. */
  keeper(): SubscriptionKeeper;
  close(): Promise<void>;
}

/** Starts everything in `dir` (the seed file and the SQLite store go there). */
export async function startKeeperRig(
  dir: string,
  org: KeeperOrg,
  options: { workerThreads: number; livenessCheckMs: number },
): Promise<KeeperRig> {
  const seedFile = path.join(dir, 'organisation.json');
  await writeFile(seedFile, JSON.stringify({ tenantId: org.tenantId, users: org.users }));
  const sim = await startSimulator({
    port: 0,
    seedFile,
    presenceEngine: 'manual',
    clockSpeed: 1,
    logger: silentLogger(),
  });
  const store = await openDatabase(
    { kind: 'sqlite', file: path.join(dir, 'store.sqlite') },
    silentLogger(),
  );
  const storeKey = createStoreKeyRing(randomBytes(32));
  const material = await generateSelfSignedCertificate({
    commonName: 'keeper-bench',
    validDays: 2,
  });
  const keyRing = KeyRing.fromMaterial([material]);
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
      NOTIFICATION_AUDIENCES: BENCH_APP_ID,
      NOTIFICATION_WORKER_THREADS: String(options.workerThreads),
    }),
    store,
    keyRing,
    secrets: createStoredSubscriptionSecrets(store.db, storeKey),
    sink: createKeeperEventSink({ signals, logger: silentLogger(), now }),
    server,
    logger: silentLogger(),
    now,
  });
  const port = await listen(server, 0, '127.0.0.1');
  const config = keeperConfig({
    publicBaseUrl: `http://127.0.0.1:${port}`,
    livenessCheckMs: options.livenessCheckMs,
  });
  const tokens = new BenchTokenProvider(sim, BENCH_APP_ID, TOKEN_REFRESH_LEAD_MS);
  const graph = createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger(), now });
  return {
    sim,
    store,
    tokens,
    notifications,
    keeper() {
      const keeper = createSubscriptionKeeper({
        db: store.db,
        graph,
        tokens,
        storeKey,
        keyRing,
        logger: silentLogger(),
        now,
        config,
        timers: scaledTimers(() => sim.clock.speed()),
      });
      keepers.push(keeper);
      return keeper;
    },
    async close() {
      await Promise.all(keepers.map((k) => k.stop()));
      await closeServer(server);
      await notifications.stop();
      await store.close();
      await sim.stop();
    },
  };
}
