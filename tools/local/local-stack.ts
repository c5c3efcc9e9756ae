import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../src/logging/logger';
import { startSimulator, type RunningSimulator } from '../simulator/simulator-server';
import { makePrivateDirectory } from '../../src/store/private-files';
import { localBotEnvironment, startBotProcess, type LocalMsalSettings } from './bot-process';
import type { ManagedChild } from './child-process';
import type { LocalConfig } from './local-config';
import { startPlayground, type PlaygroundProcess } from './playground-process';
import { concretePort } from './wait-until-ready';

/** How the local stack runs: ports and data folder from the config, plus presence and output. */
export interface LocalStackOptions {
  config: LocalConfig;
  /** `demo` changes someone's presence every few seconds; `manual` leaves it to the admin API. */
  presence: 'demo' | 'manual';
  simulatorLogger: Logger;
  /** Where the bot's log goes: the terminal, or a file. */
  botOutput: 'inherit' | { file: string };
  /** Called with each short status line. */
  status(line: string): void;
}

/** The three running parts and how to stop them. */
export interface LocalStack {
  readonly simulator: RunningSimulator;
  readonly botUrl: string;
  readonly playgroundUrl: string;
  /** Resolves with a reason when the bot or the Playground ends on its own. */
  readonly ended: Promise<string>;
  /** Stops the bot process and starts it again on the same port, data and settings. */
  restartBot(): Promise<void>;
  stop(): Promise<void>;
}

async function stopAll(parts: {
  bot?: ManagedChild;
  playground?: PlaygroundProcess;
  simulator?: RunningSimulator;
}): Promise<void> {
  await Promise.allSettled([parts.bot?.stop(), parts.playground?.child.stop()]);
  await parts.simulator?.stop();
}

/**
 * SIGN_IN_MODE=msal locally: registers the bot in the simulated Entra with a secret made for this
 * run and its redirect URI, and writes the CA the bot (only) is told to trust.
 */
function registerLocalMsalApp(
  simulator: RunningSimulator,
  config: LocalConfig,
  clientId: string,
  botUrl: string,
): LocalMsalSettings {
  const clientSecret = randomBytes(32).toString('base64url');
  simulator.entra.apps.register({
    clientId,
    clientSecrets: [clientSecret],
    redirectUris: [`${botUrl}/auth/callback`],
  });
  const caFile = path.join(config.dataDir, 'simulated-entra-ca.pem');
  writeFileSync(caFile, simulator.entra.caCertificatePem, { mode: 0o600 });
  const authority = new URL(simulator.entra.authorityUrl);
  return {
    clientId,
    clientSecret,
    tenantId: authority.pathname.replace(/^\/+/, ''),
    authorityHost: authority.origin,
    caFile,
  };
}

/** Starts the tenant simulator, the Agents Playground and the bot, each ready before it returns. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config, status } = options;
  makePrivateDirectory(config.dataDir);
  const parts: Parameters<typeof stopAll>[0] = {};
  try {
    parts.simulator = await startSimulator({
      port: config.ports.simulator,
      host: '127.0.0.1',
      demo: options.presence === 'demo',
      presenceEngine: 'manual',
      logger: options.simulatorLogger,
    });
    const simulator = parts.simulator;
    status(`Tenant simulator  ${simulator.url}  (Graph, sign-in page, admin API /_sim)`);
    const botPort = await concretePort(config.ports.bot);
    const botUrl = `http://127.0.0.1:${botPort}`;
    parts.playground = await startPlayground({
      port: config.ports.playground,
      botEndpoint: `${botUrl}/api/messages`,
      workDir: path.join(config.dataDir, 'playground'),
      env: { ...config.passThrough },
    });
    const playground = parts.playground;
    status(`Agents Playground ${playground.url}  (the Teams client)`);
    const botEnv = localBotEnvironment(
      {
        port: botPort,
        dataDir: config.dataDir,
        simulatorUrl: simulator.url,
        notificationAudience: playground.botId,
        ...(config.signInMode === 'msal'
          ? { msal: registerLocalMsalApp(simulator, config, playground.botId, botUrl) }
          : {}),
      },
      config.passThrough,
    );
    const startBot = (): Promise<ManagedChild> =>
      startBotProcess({
        port: botPort,
        cwd: process.cwd(),
        output: options.botOutput,
        env: botEnv,
      });
    let endedWith: (reason: string) => void = () => undefined;
    const botEnded = new Promise<string>((resolve) => {
      endedWith = resolve;
    });
    const watchBot = (child: ManagedChild): void => {
      void child.exited.then((code) => {
        if (parts.bot === child) endedWith(`the bot stopped (exit ${code})`);
      });
    };
    parts.bot = await startBot();
    watchBot(parts.bot);
    status(
      `Presence Watch    ${botUrl}/api/messages  (sign-in: ${config.signInMode}; data in ${config.dataDir})`,
    );
    return {
      simulator,
      botUrl,
      playgroundUrl: playground.url,
      ended: Promise.race([
        botEnded,
        playground.child.exited.then((code) => `the Agents Playground stopped (exit ${code})`),
      ]),
      async restartBot() {
        const previous = parts.bot;
        parts.bot = undefined;
        await previous?.stop();
        parts.bot = await startBot();
        watchBot(parts.bot);
      },
      stop: () => stopAll(parts),
    };
  } catch (error) {
    await stopAll(parts);
    throw error;
  }
}
