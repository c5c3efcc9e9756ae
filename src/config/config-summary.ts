import type { Config } from './config';
import { summarizeSignIn } from './sign-in-settings';

const presence = (value: unknown): string => (value === undefined ? 'unset' : 'set');

/** A log-safe view of the configuration: secrets appear only as set/unset. */
export function summarizeConfig(config: Config): Record<string, unknown> {
  return {
    environment: config.environment,
    server: config.server,
    log: config.log,
    dataDir: config.dataDir,
    instanceName: config.instanceName,
    database:
      config.database.kind === 'sqlite'
        ? config.database
        : { kind: 'postgres', url: redactUrl(config.database.url) },
    storeEncryptionKey: presence(config.storeEncryptionKey),
    storePreviousKeys: config.storePreviousKeys.length,
    publicBaseUrl: config.publicBaseUrl,
    notifications: { ...config.notifications },
    bot: { ...config.bot, password: presence(config.bot.password) },
    aad: { ...config.aad, clientSecret: presence(config.aad.clientSecret) },
    metrics: {
      bearerToken: presence(config.metrics.bearerToken),
      applicationInsights: presence(config.metrics.applicationInsightsConnectionString),
    },
    keeper: { ...config.keeper },
    alerts: { ...config.alerts },
    signIn: summarizeSignIn(config.signIn),
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return 'unparseable';
  }
}
