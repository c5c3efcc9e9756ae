import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NotificationService } from '../../src/app/notification-service';
import { silentLogger } from '../../src/logging/logger';
import { generateSelfSignedCertificate } from '../../src/notifications/keys/certificate';
import { KeyRing } from '../../src/notifications/keys/key-ring';
import { startSimulator, type RunningSimulator } from '../simulator/simulator-server';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { scaledTimers } from '../../src/background/timers';
import type { SubscriptionKeeper } from '../../src/watch/subscription-keeper';
import { BenchTokenProvider } from './bench-token-provider';
import type { KeeperOrg } from './keeper-org';
import { startKeeperStack } from './keeper-stack';

/** The app id the bench subscribes as (the validation tokens' audience). */
export const BENCH_APP_ID = '0be9c000-1111-4222-8333-444455556666';

/** The simulator's reauthorizationRequired lead is 10 minutes; tokens are refreshed before it. */
const TOKEN_REFRESH_LEAD_MS = 15 * 60_000;

/** The simulator with the generated organisation, a store, and the app's webhook and keepers. */
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
  const material = await generateSelfSignedCertificate({
    commonName: 'keeper-bench',
    validDays: 2,
  });
  const tokens = new BenchTokenProvider(sim, BENCH_APP_ID, TOKEN_REFRESH_LEAD_MS);
  const stack = await startKeeperStack({
    sim,
    store,
    keyRing: KeyRing.fromMaterial([material]),
    tokens,
    appId: BENCH_APP_ID,
    dataDir: dir,
    workerThreads: options.workerThreads,
    settings: { livenessCheckMs: options.livenessCheckMs },
    random: Math.random,
  });
  return {
    sim,
    store,
    tokens,
    notifications: stack.notifications,
    keeper: () => stack.keeper({ timers: scaledTimers(() => sim.clock.speed()) }),
    async close() {
      await stack.close();
      await store.close();
      await sim.stop();
    },
  };
}
