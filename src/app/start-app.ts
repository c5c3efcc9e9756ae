import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { closeServer, listen } from '../server/http-server';
import { buildFoundation } from './foundation';
import { retentionTasks } from './retention';
import { startSecretExpiryWarnings } from './secret-expiry';
import { buildAlerts, buildBot, buildNotifications, buildWatching } from './service-builders';
import { storeKeyResealTask } from './store-key-maintenance';
import { startMaintenance } from './store-maintenance';
import { connectToTeams } from './teams-connection';

/** The longest the start-up resync waits for the notification backlog to drain. */
const BACKLOG_WAIT_MS = 60_000;

/** A running Presence Watch: its URL and how to stop it. */
export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** Builds every part from the configuration and starts serving: the composition root's body. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const base = await buildFoundation(config, logger);
  const { store, server, now } = base;
  const teams = await connectToTeams(base);
  const port = await listen(server, config.server.port, config.server.host, {
    loopbackOnly: !config.bot.id,
  });
  const url = `http://${config.server.host}:${port}`;
  // From here on nothing awaits: every route is registered before the first request is served.
  const { presenceStored, watches, keeper } = buildWatching(
    base,
    teams,
    config.publicBaseUrl ?? url,
  );
  const alerts = buildAlerts(base, teams, watches, presenceStored);
  buildBot(base, teams, keeper, watches);
  const notifications = buildNotifications(base, keeper, presenceStored);
  keeper.start({ resyncAfter: settledWithin(notifications.worker.drained(), BACKLOG_WAIT_MS) });
  const maintenance = startMaintenance(
    [...retentionTasks(store.db, now), storeKeyResealTask(store.db, base.storeKey)],
    logger,
  );
  const expiryWarnings = startSecretExpiryWarnings({
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
      await expiryWarnings();
      await closeServer(server);
      await keeper.stop();
      await alerts.stop();
      await notifications.stop();
      await base.telemetry.stop();
      await store.close();
    },
  };
}

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
