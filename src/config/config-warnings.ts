import type { Config } from './config';

/** Settings that are valid but probably a mistake, for start-up to log loudly. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.bot.id && config.environment !== 'production') {
    warnings.push(
      `BOT_ID is set but NODE_ENV is ${config.environment}: a real bot registration is running ` +
        'without the production checks; set NODE_ENV=production for a deployment',
    );
  }
  return warnings;
}
