import type { Server } from 'restify';
import { REAL_TIMERS, type Timers } from '../background/timers';
import type { Config } from '../config/config';
import { summarizeConfig } from '../config/config-summary';
import { configWarnings } from '../config/config-warnings';
import { createGraphClient, type GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import { registerLegalRoutes } from '../legal/legal-routes';
import { startMetrics, type AppMetrics, type RunningMetrics } from '../metrics';
import { provisionKeyRing } from '../notifications/keys/key-provisioning';
import type { KeyRing } from '../notifications/keys/key-ring';
import { createHttpServer } from '../server/http-server';
import { loadOrCreateLocalStoreKey } from '../store/local-store-key';
import { openDatabase, type StoreDatabase } from '../store/open-database';
import { createStoreKeyRing, type StoreKeyRing } from '../store/store-keys';
import { readBotCertificateKey } from './bot-certificate';
import { releaseDeadOwnersLeases } from './dead-owner-leases';
import { startHealthService, type WorkerPassHooks } from './health-service';
import {
  createProcessIdentity,
  formatProcessIdentity,
  type ProcessIdentity,
} from './process-identity';
import { RETENTION_JOBS } from './retention';

/** What every service is built from: the store, keys, server, Graph client, metrics and clock. */
export interface Foundation {
  readonly config: Config;
  readonly logger: Logger;
  readonly now: () => number;
  readonly identity: ProcessIdentity;
  readonly store: StoreDatabase;
  readonly storeKey: StoreKeyRing;
  readonly keyRing: KeyRing;
  readonly botCertificateKey: string | undefined;
  readonly server: Server;
  readonly telemetry: RunningMetrics;
  readonly metrics: AppMetrics;
  readonly graph: GraphClient;
  readonly passes: WorkerPassHooks;
  /** The timers every background loop sleeps with. */
  readonly timers: Timers;
  /** The random source of the loops' backoff jitter. */
  readonly random: () => number;
}

/** Opens the store and keys, and builds the server, metrics, Graph client and health routes. */
export async function buildFoundation(config: Config, logger: Logger): Promise<Foundation> {
  logConfiguration(config, logger);
  const now = (): number => Date.now();
  const identity = createProcessIdentity(config.instanceName);
  logger.info({ processIdentity: formatProcessIdentity(identity) }, 'process identity');
  const store = await openDatabase(config.database, logger);
  await releaseDeadOwnersLeases(store.db, identity, logger);
  const storeKey = await openStoreKey(config, logger);
  const keyRing = await provisionKeyRing({
    certificates: config.notifications.certificates,
    store,
    storeKey,
    now: () => new Date(now()),
    logger,
  });
  const botCertificateKey = await readBotCertificateKey(config);
  const server = createHttpServer(logger);
  const telemetry = startMetrics({ config: config.metrics, db: store.db, server, logger, now });
  const { metrics } = telemetry;
  const graph = createGraphClient({
    baseUrl: config.graph.baseUrl,
    logger,
    now,
    onCall: (route, status) => metrics.graphCall(route, status),
  });
  const passes = startHealthService({ server, db: store.db, logger, now });
  registerLegalRoutes(server, RETENTION_JOBS);
  return {
    config,
    logger,
    now,
    identity,
    store,
    storeKey,
    keyRing,
    botCertificateKey,
    server,
    telemetry,
    metrics,
    graph,
    passes,
    timers: REAL_TIMERS,
    random: Math.random,
  };
}

function logConfiguration(config: Config, logger: Logger): void {
  const summary = summarizeConfig(config);
  if (config.log.format === 'json') logger.info({ config: summary }, 'configuration loaded');
  else {
    logger.info(
      `configuration loaded: ${config.database.kind} store, Graph at ${config.graph.baseUrl}, sign-in ${config.signIn.mode}`,
    );
    logger.debug({ config: summary }, 'configuration');
  }
  for (const warning of configWarnings(config)) logger.warn({ warning }, `WARNING: ${warning}`);
}

async function openStoreKey(config: Config, logger: Logger): Promise<StoreKeyRing> {
  const storeKey = createStoreKeyRing(
    config.storeEncryptionKey ?? (await loadOrCreateLocalStoreKey(config.dataDir)),
    config.storePreviousKeys,
  );
  logger.info(
    { keyId: storeKey.current.id, previousKeyIds: storeKey.previous.map((key) => key.id) },
    'store keys',
  );
  return storeKey;
}
