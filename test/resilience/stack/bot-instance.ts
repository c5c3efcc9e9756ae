import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { localBotEnvironment, startBotProcess } from '../../../tools/local/bot-process';
import type { ManagedChild } from '../../../tools/local/child-process';
import { freePort } from '../../../tools/local/wait-until-ready';

/** How to start one Presence Watch process (`node dist/index.js`) against the simulator. */
export interface BotInstanceOptions {
  readonly simulatorUrl: string;
  /** The bot's channel id: the app id the simulator's tokens and validation tokens carry. */
  readonly botChannelId: string;
  readonly dataDir: string;
  /** The process's log file (JSON lines); appended to across restarts. */
  readonly logFile: string;
  /** PostgreSQL URL; the SQLite file in `dataDir` when absent. */
  readonly databaseUrl?: string;
  /** The URL Graph should call (a load balancer); the instance's own URL when absent. */
  readonly publicBaseUrl?: string;
  readonly logLevel?: string;
  /** A fixed port (a restarted instance keeps its port); a free one when absent. */
  readonly port?: number;
  /** Further variables, e.g. a shared STORE_ENCRYPTION_KEY for several instances. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A running bot process. */
export interface BotInstance {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly exited: Promise<string>;
  /** Ends the process with SIGKILL, as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** Current resident set size in KiB (Linux /proc). */
  rssKb(): Promise<number>;
}

/** Starts the built bot (`npm run build` first) and waits until it answers its health check. */
export async function startBotInstance(options: BotInstanceOptions): Promise<BotInstance> {
  const port = options.port ?? (await freePort());
  const env = localBotEnvironment(
    {
      port,
      dataDir: options.dataDir,
      simulatorUrl: options.simulatorUrl,
      notificationAudience: options.botChannelId,
    },
    { PATH: process.env.PATH ?? '', LOG_LEVEL: options.logLevel ?? 'info', LOG_FORMAT: 'json' },
  );
  Object.assign(env, options.env);
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.publicBaseUrl) env.PUBLIC_BASE_URL = options.publicBaseUrl;
  const child = await startBotProcess({
    port,
    env,
    cwd: path.resolve(__dirname, '..', '..', '..'),
    output: { file: options.logFile },
  });
  return instanceOf(child, port);
}

function instanceOf(child: ManagedChild, port: number): BotInstance {
  const pid = child.process.pid ?? 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid,
    exited: child.exited,
    async kill() {
      if (child.process.exitCode === null && child.process.signalCode === null)
        child.process.kill('SIGKILL');
      await child.exited;
    },
    stop: () => child.stop(),
    async rssKb() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    },
  };
}
