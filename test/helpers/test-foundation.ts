import { randomBytes } from 'node:crypto';
import { REAL_TIMERS, type Timers } from '../../src/background/timers';
import type { Foundation } from '../../src/app/foundation';
import type { WorkerPassHooks } from '../../src/app/health-service';
import { createProcessIdentity } from '../../src/app/process-identity';
import { loadConfig, type Config } from '../../src/config/config';
import { createGraphClient } from '../../src/graph';
import { silentLogger, type Logger } from '../../src/logging/logger';
import type { KeyRing } from '../../src/notifications/keys/key-ring';
import { createHttpServer } from '../../src/server/http-server';
import type { StoreDatabase } from '../../src/store/open-database';
import { createStoreKeyRing } from '../../src/store/store-keys';
import { generatedKeyRing } from './generated-certificates';

/** What the service builders take from the app's foundation, built for a test. */
export type TestFoundation = Omit<Foundation, 'telemetry' | 'metrics' | 'botCertificateKey'>;

/** What a test foundation is built over: a real store and Graph, the test's clock and timers. */
export interface TestFoundationOptions {
  readonly store: StoreDatabase;
  readonly graphBaseUrl: string;
  readonly now: () => number;
  /** Variables on top of `NODE_ENV=test` (default none). */
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
  /** Default real timers. */
  readonly timers?: Timers;
  /** Default a ring over the generated certificate `foundation`. */
  readonly keyRing?: KeyRing;
}

const NO_PASS_HOOKS: WorkerPassHooks = {
  inbox: () => undefined,
  keeper: () => undefined,
  alertFanOut: () => undefined,
  alertSender: () => undefined,
};

/** The config a test app loads: `NODE_ENV=test` and the given variables. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', ...env });
}

/**
 * A foundation as `buildFoundation` makes one, over the test's store, clock and timers: a fresh
 * store key, an HTTP server not yet listening, a Graph client, no metrics or health routes, and a
 * fixed jitter (0.5).
 */
export async function testFoundation(options: TestFoundationOptions): Promise<TestFoundation> {
  const logger = options.logger ?? silentLogger();
  return {
    config: testConfig(options.env),
    logger,
    now: options.now,
    identity: createProcessIdentity('test-host'),
    store: options.store,
    storeKey: createStoreKeyRing(randomBytes(32)),
    keyRing: options.keyRing ?? (await generatedKeyRing('foundation')).keyRing,
    server: createHttpServer(logger),
    graph: createGraphClient({ baseUrl: options.graphBaseUrl, logger, now: options.now }),
    passes: NO_PASS_HOOKS,
    timers: options.timers ?? REAL_TIMERS,
    random: () => 0.5,
  };
}
