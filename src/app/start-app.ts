import type { Config } from '../config/config';
import { summarizeConfig } from '../config/config-summary';
import { configWarnings } from '../config/config-warnings';
import { createGraphClient } from '../graph';
import { MAX_PRESENCE_IDS } from '../graph/presence-resource';
import type { Logger } from '../logging/logger';
import { registerLegalRoutes } from '../legal/legal-routes';
import { startMetrics } from '../metrics';
import { provisionKeyRing } from '../notifications/keys/key-provisioning';
import { closeServer, createHttpServer, listen } from '../server/http-server';
import { loadOrCreateLocalStoreKey } from '../store/local-store-key';
import { openDatabase } from '../store/open-database';
import { createStoreKeyRing } from '../store/store-keys';
import { createStoredSubscriptionSecrets } from '../store/subscription-secrets';
import { keeperConfig } from '../watch/keeper-config';
import type { SignInRequiredEvent } from '../watch/keeper-context';
import { createKeeperEventSink } from '../watch/notification-event-sink';
import { createSubscriptionKeeper, type SubscriptionKeeper } from '../watch/subscription-keeper';
import { createWatchService } from '../watch/watch-service';
import { startAlertService } from './alert-service';
import { readBotCertificateKey } from './bot-certificate';
import { startBotService } from './bot-service';
import { startHealthService } from './health-service';
import { releaseDeadOwnersLeases } from './dead-owner-leases';
import { startNotificationService } from './notification-service';
import { createProcessIdentity, formatProcessIdentity, leaseOwnerOf } from './process-identity';
import { RETENTION_JOBS, retentionTasks } from './retention';
import { startSecretExpiryWarnings } from './secret-expiry';
import { storeKeyResealTask } from './store-key-maintenance';
import { startMaintenance } from './store-maintenance';

/** The longest the start-up resync waits for the notification backlog to drain. */
const BACKLOG_WAIT_MS = 60_000;

function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A running Presence Watch: its URL and how to stop it. */
export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** Builds every part from the configuration and starts serving: the composition root's body. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const summary = summarizeConfig(config);
  if (config.log.format === 'json') logger.info({ config: summary }, 'configuration loaded');
  else {
    logger.info(
      `configuration loaded: ${config.database.kind} store, Graph at ${config.graph.baseUrl}, sign-in ${config.signIn.mode}`,
    );
    logger.debug({ config: summary }, 'configuration');
  }
  for (const warning of configWarnings(config)) logger.warn({ warning }, `WARNING: ${warning}`);
  const now = (): number => Date.now();
  const identity = createProcessIdentity(config.instanceName);
  logger.info({ processIdentity: formatProcessIdentity(identity) }, 'process identity');
  const store = await openDatabase(config.database, logger);
  await releaseDeadOwnersLeases(store.db, identity, logger);
  const storeKey = createStoreKeyRing(
    config.storeEncryptionKey ?? (await loadOrCreateLocalStoreKey(config.dataDir)),
    config.storePreviousKeys,
  );
  logger.info(
    { keyId: storeKey.current.id, previousKeyIds: storeKey.previous.map((key) => key.id) },
    'store keys',
  );
  const keyRing = await provisionKeyRing({
    certificates: config.notifications.certificates,
    store,
    storeKey,
    now: () => new Date(now()),
    logger,
  });
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
  const coverage = {
    redundancy: config.graph.coverageRedundancy,
    maxIdsPerSubscription: MAX_PRESENCE_IDS,
  };
  const started: { keeper?: SubscriptionKeeper } = {};
  const replan = (tenantId: string): void => {
    started.keeper?.requestReplan(tenantId);
    started.keeper?.wake();
  };
  const watches = createWatchService({
    db: store.db,
    coverage,
    keeper: {
      requestReplan: (tenantId) => started.keeper?.requestReplan(tenantId),
      wake: () => started.keeper?.wake(),
    },
    now,
  });
  const listening = { url: '' };
  const bot = await startBotService({
    config,
    botCertificateKey: await readBotCertificateKey(config),
    store,
    storeKey,
    baseUrl: () => config.publicBaseUrl ?? listening.url,
    graph,
    server,
    logger,
    now,
    watches,
    onSignedIn: (tenantId, userId) => started.keeper?.userSignedIn(tenantId, userId),
    releaseSignIn: async (request) =>
      started.keeper
        ? started.keeper.userSignedOut(request)
        : { subscriptionDeleted: false, coveredByOthers: new Set<string>() },
    onConversationSeen: (reference) => alerts.rememberConversation(reference),
  });
  const alerts = startAlertService({
    config,
    store,
    adapter: bot.adapter,
    botAppId: bot.botAppId,
    graph,
    tokens: bot.tokens,
    logger,
    now,
    onWatchesRemoved: (tenantIds) => tenantIds.forEach(replan),
    leaseOwner: leaseOwnerOf(identity, 'alerts'),
    metrics,
    passes,
  });
  const port = await listen(server, config.server.port, config.server.host, {
    loopbackOnly: !config.bot.id,
  });
  const url = `http://${config.server.host}:${port}`;
  listening.url = url;
  const keeper = createSubscriptionKeeper({
    db: store.db,
    graph,
    tokens: bot.tokens,
    storeKey,
    keyRing,
    logger,
    now,
    config: keeperConfig({
      publicBaseUrl: config.publicBaseUrl ?? url,
      ...coverage,
      ...config.keeper,
    }),
    leaseOwner: leaseOwnerOf(identity, 'keeper'),
    onSignInRequired: (event: SignInRequiredEvent) => alerts.askToSignIn(event),
    onPass: passes.keeper,
  });
  const notifications = startNotificationService({
    config,
    store,
    keyRing,
    secrets: createStoredSubscriptionSecrets(store.db, storeKey),
    sink: createKeeperEventSink({ signals: keeper, logger, now }),
    server,
    logger,
    now,
    leaseOwner: leaseOwnerOf(identity, 'inbox'),
    metrics,
    onPass: passes.inbox,
  });
  started.keeper = keeper;
  keeper.start({ resyncAfter: settledWithin(notifications.worker.drained(), BACKLOG_WAIT_MS) });
  const maintenance = startMaintenance(
    [...retentionTasks(store.db, now), storeKeyResealTask(store.db, storeKey)],
    logger,
  );
  const stopExpiryWarnings = startSecretExpiryWarnings({
    expiresAt: config.bot.passwordExpiresAt,
    now,
    logger,
  });
  logger.info(
    { url, webhook: `${config.publicBaseUrl ?? url}/api/notifications` },
    'Presence Watch is listening',
  );
  return {
    url,
    async stop() {
      await maintenance.stop();
      stopExpiryWarnings();
      await closeServer(server);
      await keeper.stop();
      await alerts.stop();
      await notifications.stop();
      await telemetry.stop();
      await store.close();
    },
  };
}
