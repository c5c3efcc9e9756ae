import { loadConfig } from './config/config';
import { summarizeConfig } from './config/config-summary';
import { startNotificationService } from './app/notification-service';
import { isAppError } from './errors/app-error';
import { createLogger } from './logging/logger';
import { provisionKeyRing } from './notifications/keys/key-provisioning';
import { createLoggingEventSink } from './notifications/processing/logging-event-sink';
import { NO_SUBSCRIPTIONS } from './notifications/processing/no-subscriptions';
import { closeServer, createHttpServer, listen } from './server/http-server';
import { loadOrCreateLocalStoreKey } from './store/local-store-key';
import { openDatabase } from './store/open-database';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.log);
  logger.info({ config: summarizeConfig(config) }, 'configuration loaded');
  const now = (): number => Date.now();
  const store = await openDatabase(config.database, logger);
  const storeKey = config.storeEncryptionKey ?? (await loadOrCreateLocalStoreKey(config.dataDir));
  const keyRing = await provisionKeyRing({
    certificates: config.notifications.certificates,
    db: store.db,
    storeKey,
    now: () => new Date(now()),
    logger,
  });
  const server = createHttpServer(logger);
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  const notifications = startNotificationService({
    config,
    store,
    keyRing,
    secrets: NO_SUBSCRIPTIONS,
    sink: createLoggingEventSink(logger),
    server,
    logger,
    now,
  });
  const port = await listen(server, config.server.port, config.server.host);
  logger.info({ url: `http://${config.server.host}:${port}` }, 'Presence Watch is listening');

  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'shutting down');
    await closeServer(server);
    await notifications.stop();
    await store.close();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const logger = createLogger({ level: 'info', format: 'json' });
  logger.fatal(
    isAppError(error) ? { code: error.code, detail: error.detail } : { err: error },
    'start-up failed',
  );
  process.exitCode = 1;
});
