import path from 'node:path';
import { startChild, type ManagedChild } from './child-process';
import { waitForHttp } from './wait-until-ready';

/** Where the production build of the bot lives (`npm run build`). */
export function builtBotEntry(): string {
  return path.resolve(__dirname, '..', '..', 'dist', 'index.js');
}

/** The settings that point the bot at the tenant simulator instead of Microsoft. */
export interface LocalBotSettings {
  port: number;
  dataDir: string;
  simulatorUrl: string;
  /** The app id the simulator's validation tokens carry as `aud`. */
  notificationAudience: string;
  /** SIGN_IN_MODE=msal: the app registered in the simulated Entra, and the CA file the bot trusts for it. */
  msal?: LocalMsalSettings;
}

/** The bot's app in the simulated Entra (a secret made for this run). */
export interface LocalMsalSettings {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** The simulated Entra's TLS base URL, e.g. `https://127.0.0.1:5101`. */
  authorityHost: string;
  /** PEM file of the local CA that issued the simulated Entra's certificate. */
  caFile: string;
}

function msalEnvironment(msal: LocalMsalSettings | undefined): Record<string, string> {
  if (!msal) return {};
  return {
    SIGN_IN_MODE: 'msal',
    AAD_APP_CLIENT_ID: msal.clientId,
    AAD_APP_CLIENT_SECRET: msal.clientSecret,
    AAD_APP_TENANT_ID: msal.tenantId,
    AAD_APP_OAUTH_AUTHORITY_HOST: msal.authorityHost,
    SIGN_IN_TRUSTED_CA_FILE: msal.caFile,
  };
}

/** The bot's environment in local mode: the pass-through variables plus the simulator's URLs (and Entra in msal mode). */
export function localBotEnvironment(
  settings: LocalBotSettings,
  passThrough: Readonly<Record<string, string>>,
): Record<string, string> {
  const botUrl = `http://127.0.0.1:${settings.port}`;
  return {
    ...passThrough,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(settings.port),
    DATA_DIR: settings.dataDir,
    PUBLIC_BASE_URL: botUrl,
    GRAPH_BASE_URL: `${settings.simulatorUrl}/v1.0`,
    GRAPH_JWKS_URL: `${settings.simulatorUrl}/common/discovery/v2.0/keys`,
    BOT_OAUTH_API_URL: settings.simulatorUrl,
    NOTIFICATION_AUDIENCES: settings.notificationAudience,
    ...msalEnvironment(settings.msal),
  };
}

/** Starts `node dist/index.js` with exactly `env` and waits for its health check. */
export async function startBotProcess(options: {
  port: number;
  env: Record<string, string>;
  cwd: string;
  output: 'inherit' | { file: string };
}): Promise<ManagedChild> {
  const child = startChild({
    name: 'Presence Watch bot',
    command: process.execPath,
    args: [builtBotEntry()],
    cwd: options.cwd,
    env: options.env,
    output: options.output,
  });
  try {
    await waitForHttp(`http://127.0.0.1:${options.port}/healthz`, {
      timeoutMs: 60_000,
      what: 'the bot',
      gaveUp: child.exited,
    });
    return child;
  } catch (error) {
    await child.stop();
    throw error;
  }
}
