import path from 'node:path';

/** How `npm start` runs: only the bot against Microsoft, or the whole local stack. */
export type LocalMode = 'real' | 'local';

/** How the local bot signs users in: the simulator's token service, or MSAL against the simulated Entra. */
export type LocalSignInMode = 'bot-service' | 'msal';

/** The launcher's settings, read once from the environment. */
export interface LocalConfig {
  readonly mode: LocalMode;
  readonly signInMode: LocalSignInMode;
  readonly dataDir: string;
  readonly ports: {
    readonly simulator: number;
    readonly bot: number;
    readonly playground: number;
  };
  /** Variables handed to the bot child process as they are (log settings, proxies, locale). */
  readonly passThrough: Readonly<Record<string, string>>;
}

/** Variables the bot child inherits; anything else in the launcher's environment stays behind. */
const INHERITED_VARIABLES = [
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'TZ',
  'TERM',
  'FORCE_COLOR',
  'NO_COLOR',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'SYSTEMROOT',
];

function portOf(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number (0 to 65535), not "${value}"`);
  }
  return port;
}

function signInModeOf(value: string | undefined): LocalSignInMode {
  const mode = value?.trim() || 'bot-service';
  if (mode !== 'bot-service' && mode !== 'msal') {
    throw new Error(`SIGN_IN_MODE must be bot-service or msal, not "${mode}"`);
  }
  return mode;
}

/** Reads the launcher's settings: `BOT_ID` selects real mode; `SIGN_IN_MODE`, `LOCAL_*_PORT` and `DATA_DIR` tune local mode. */
export function loadLocalConfig(env: Record<string, string | undefined>): LocalConfig {
  const passThrough: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = env[name];
    if (value !== undefined) passThrough[name] = value;
  }
  return {
    mode: env.BOT_ID?.trim() ? 'real' : 'local',
    signInMode: signInModeOf(env.SIGN_IN_MODE),
    dataDir: path.resolve(env.DATA_DIR?.trim() || './.data'),
    ports: {
      simulator: portOf(env.LOCAL_SIMULATOR_PORT, 'LOCAL_SIMULATOR_PORT', 5100),
      bot: portOf(env.LOCAL_BOT_PORT, 'LOCAL_BOT_PORT', 3978),
      playground: portOf(env.LOCAL_PLAYGROUND_PORT, 'LOCAL_PLAYGROUND_PORT', 56150),
    },
    passThrough,
  };
}
