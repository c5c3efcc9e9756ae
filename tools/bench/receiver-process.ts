import { loadConfig } from '../../src/config/config';
import { startNotificationService } from '../../src/app/notification-service';
import { createLogger } from '../../src/logging/logger';
import { provisionKeyRing } from '../../src/notifications/keys/key-provisioning';
import {
  fixedClientState,
  fixedClientStateGate,
} from '../../src/notifications/receiver/subscription-gate';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import { createSourceRateLimit, type SourceRateLimit } from '../../src/server/source-rate-limit';
import { countByStatus } from '../../src/store/inbox-queue';
import { openDatabase } from '../../src/store/open-database';
import { createStoreKeyRing } from '../../src/store/store-keys';

/** A per-source budget of `BENCH_DROPPED_ITEMS_PER_SECOND` (burst and refill), else the default. */
function benchRateLimit(): { rateLimit?: SourceRateLimit } {
  const perSecond = Number(process.env.BENCH_DROPPED_ITEMS_PER_SECOND ?? '');
  if (!(perSecond > 0)) return {};
  return {
    rateLimit: createSourceRateLimit({
      capacity: perSecond,
      refillPerSecond: perSecond,
      maxSources: 16,
      now: () => Date.now(),
    }),
  };
}

/** The receiver as the bench drives it: the real service, with one known clientState. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: 'warn', format: 'json' });
  const store = await openDatabase(config.database, logger);
  const keyRing = await provisionKeyRing({
    certificates: config.notifications.certificates,
    store,
    storeKey: createStoreKeyRing(Buffer.alloc(32, 1)),
    now: () => new Date(),
    logger,
  });
  let events = 0;
  const server = createHttpServer(logger);
  const service = startNotificationService({
    config,
    store,
    keyRing,
    secrets: fixedClientState(process.env.BENCH_CLIENT_STATE ?? ''),
    gate: fixedClientStateGate(process.env.BENCH_CLIENT_STATE ?? ''),
    ...benchRateLimit(),
    sink: { handle: async (batch) => void (events += batch.length) },
    server,
    logger,
    now: () => Date.now(),
  });
  const port = await listen(server, 0, '127.0.0.1');
  process.send?.({ type: 'ready', port });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      void countByStatus(store.db).then((counts) =>
        process.send?.({
          type: 'stats',
          ...counts,
          events,
          maxRssKb: process.resourceUsage().maxRSS,
        }),
      );
    }
    if (message.type === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      process.send?.({ type: 'memory', collected: gc !== undefined, ...process.memoryUsage() });
    }
    if (message.type === 'stop') {
      void closeServer(server)
        .then(() => service.stop())
        .then(() => store.close())
        .then(() => process.exit(0));
    }
  });
}

void main();
