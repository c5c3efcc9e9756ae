import { startApp } from './app/start-app';
import { loadProcessConfig } from './config/process-config';
import { isAppError } from './errors/app-error';
import { createLogger, isTerminal } from './logging/logger';

async function main(): Promise<void> {
  const config = loadProcessConfig();
  const logger = createLogger({ ...config.log, colorize: isTerminal(process.stdout) });
  const app = await startApp(config, logger);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const logger = createLogger({ level: 'info', format: 'json' });
  logger.fatal(
    isAppError(error) ? { code: error.code, detail: error.detail } : { err: error },
    'start-up failed',
  );
  process.exitCode = 1;
});
