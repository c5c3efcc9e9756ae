import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../src/logging/logger';
import { defaultOrganisation } from '../../../tools/simulator/directory/default-organisation';
import type { SimUser } from '../../../tools/simulator/directory/sim-user';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../../tools/simulator/simulator-server';
import { FakeBotConnector } from '../../helpers/fake-bot-connector';
import { startBotInstance, type BotInstance, type BotInstanceOptions } from './bot-instance';
import { FakeTeamsChannel } from './teams-channel';

/** The bot's channel id in these tests (and so the app id of every simulator token). */
export const BOT_CHANNEL_ID = '28:presence-watch-resilience';

/** The simulator's organisation, for picking watchers and watched people. */
export const ORGANISATION: readonly SimUser[] = defaultOrganisation();

/** Simulator, fake Bot Connector and fake Teams channel in this process; bots as child processes. */
export interface ResilienceStack {
  readonly sim: RunningSimulator;
  readonly connector: FakeBotConnector;
  readonly channel: FakeTeamsChannel;
  readonly dir: string;
  /** Where Teams sends activities; defaults to the first instance started. */
  botUrl: string;
  /** Starts a bot process named `name` (its log is `<dir>/<name>.log`). */
  startInstance(
    name: string,
    options?: Partial<Omit<BotInstanceOptions, 'simulatorUrl' | 'botChannelId'>>,
  ): Promise<BotInstance>;
  logFile(name: string): string;
  stop(): Promise<void>;
}

/** Starts the simulator (manual presence, quick retries) and the fakes; no bot yet. */
export async function startResilienceStack(
  simulator: Partial<SimulatorOptions> = {},
): Promise<ResilienceStack> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pw-resilience-'));
  const sim = await startSimulator({
    port: 0,
    presenceEngine: 'manual',
    handshakeTimeoutMs: 5_000,
    deliveryTimeoutMs: 5_000,
    retry: { baseDelayMs: 250, maxDelayMs: 2_000 },
    logger: silentLogger(),
    ...simulator,
  });
  const connector = new FakeBotConnector(() => Date.now());
  await connector.start();
  const instances: BotInstance[] = [];
  const stack: ResilienceStack = {
    sim,
    connector,
    dir,
    botUrl: '',
    channel: new FakeTeamsChannel(connector, () => stack.botUrl, sim.tenantId, BOT_CHANNEL_ID),
    logFile: (name) => path.join(dir, `${name}.log`),
    async startInstance(name, options = {}) {
      const instance = await startBotInstance({
        simulatorUrl: sim.url,
        botChannelId: BOT_CHANNEL_ID,
        dataDir: path.join(dir, 'data'),
        logFile: path.join(dir, `${name}.log`),
        ...options,
      });
      instances.push(instance);
      if (!stack.botUrl) stack.botUrl = instance.url;
      return instance;
    },
    async stop() {
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      await connector.stop();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
