import { randomBytes } from 'node:crypto';
import { REAL_TIMERS, type Timers } from '../../src/background/timers';
import type { Foundation } from '../../src/app/foundation';
import type { WorkerPassHooks } from '../../src/app/health-service';
import { createProcessIdentity } from '../../src/app/process-identity';
import { loadConfig } from '../../src/config/config';
import { createGraphClient } from '../../src/graph';
import { silentLogger, type Logger } from '../../src/logging/logger';
import type { KeyRing } from '../../src/notifications/keys/key-ring';
import { createHttpServer } from '../../src/server/http-server';
import type { StoreDatabase } from '../../src/store/open-database';
import { createStoreKeyRing } from '../../src/store/store-keys';

/** What the service builders take from the app's foundation, built for a rig or a test harness. */
export type RigFoundation = Omit<Foundation, 'telemetry' | 'metrics' | 'botCertificateKey'>;

/** What a rig's foundation is built over: a real store, keys and Graph, the rig's clock and timers. */
export interface RigFoundationOptions {
  readonly store: StoreDatabase;
  readonly graphBaseUrl: string;
  readonly now: () => number;
  /** Variables on top of `NODE_ENV=test` (default none). */
  readonly env?: Record<string, string>;
  readonly logger?: Logger;
  /** Default real timers. */
  readonly timers?: Timers;
  readonly keyRing: KeyRing;
  /** The loops' jitter source (default a fixed 0.5). */
  readonly random?: () => number;
}

const NO_PASS_HOOKS: WorkerPassHooks = {
  inbox: () => undefined,
  keeper: () => undefined,
  alertFanOut: () => undefined,
  alertSender: () => undefined,
};

/**
 * A foundation as `buildFoundation` makes one, over the rig's store, clock and timers: a fresh
 * store key, an HTTP server not yet listening, a Graph client, and no metrics or health routes.
 */
export function rigFoundation(options: RigFoundationOptions): RigFoundation {
  const logger = options.logger ?? silentLogger();
  return {
    config: loadConfig({ NODE_ENV: 'test', ...options.env }),
    logger,
    now: options.now,
    identity: createProcessIdentity('rig'),
    store: options.store,
    storeKey: createStoreKeyRing(randomBytes(32)),
    keyRing: options.keyRing,
    server: createHttpServer(logger),
    graph: createGraphClient({ baseUrl: options.graphBaseUrl, logger, now: options.now }),
    passes: NO_PASS_HOOKS,
    timers: options.timers ?? REAL_TIMERS,
    random: options.random ?? (() => 0.5),
  };
}
