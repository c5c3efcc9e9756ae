import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack, type LocalStack } from '../../tools/local/local-stack';
import { silentLogger } from '../../src/logging/logger';
import { ADELE, MEGAN, says } from '../helpers/e2e-fixture';
import {
  acceptSignIn,
  setPresence,
  signInLinkOf,
  waitForSubscriptionCovering,
} from '../helpers/local-stack-harness';
import { at, connectPlayground, type PlaygroundClient } from '../helpers/playground-client';

interface Run {
  stack: LocalStack;
  playground: PlaygroundClient;
  botLog: string;
}

/** The same ports on both runs, as `npm start` uses: stored references keep their serviceUrl. */
interface Ports {
  simulator: number;
  bot: number;
  playground: number;
}

/**
 * A free port below the OS's ephemeral range (32768+ here), so no outgoing connection of another
 * process can take it between the two runs.
 */
async function stablePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

async function startRun(dataDir: string, ports: Ports, name: string): Promise<Run> {
  const botLog = path.join(dataDir, `bot-${name}.log`);
  const stack = await startLocalStack({
    config: {
      mode: 'local',
      signInMode: 'bot-service',
      dataDir,
      ports,
      passThrough: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
    },
    presence: 'manual',
    simulatorLogger: silentLogger(),
    botOutput: { file: botLog },
    status: () => undefined,
  });
  return { stack, playground: await connectPlayground(stack.playgroundUrl), botLog };
}

async function stopRun(run: Run | undefined): Promise<void> {
  run?.playground.close();
  await run?.stack.stop();
}

async function signIn(run: Run, chat: string): Promise<void> {
  const card = await run.playground.waitFor(chat, (m) => signInLinkOf(m) !== undefined);
  await run.playground.send(chat, await acceptSignIn(signInLinkOf(card) ?? ''));
  await run.playground.waitFor(chat, says('You are signed in.'));
}

describe('restarting the local stack', function () {
  this.timeout(240_000);
  let dataDir: string;
  let ports: Ports;
  let run: Run | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pw-e2e-restart-'));
    ports = {
      simulator: await stablePort(),
      bot: await stablePort(),
      playground: await stablePort(),
    };
  });

  after(async () => {
    await stopRun(run);
    await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !run) return;
    const log = await readFile(run.botLog, 'utf8').catch(() => '');
    process.stderr.write(`${log.split('\n').slice(-40).join('\n')}\n`);
  });

  it('keeps personal-chat watches and tells the watcher plainly that a lost group chat’s watches ended', async () => {
    await stopRun(run);
    run = await startRun(dataDir, ports, 'first');
    const personal = run.playground.config.personalChat.id;
    const group = run.playground.config.groupChats[0]?.id ?? '';
    const bot = run.playground.config.bot;
    await run.playground.send(personal, `/watch ${MEGAN.name}`);
    await signIn(run, personal);
    await run.playground.waitFor(personal, says(`Watching ${MEGAN.name}`));
    await run.playground.send(group, `${at(bot)} /watch ${at(ADELE)}`, [bot, ADELE]);
    await run.playground.waitFor(group, says(`Watching ${ADELE.name}`));
    await stopRun(run);

    run = await startRun(dataDir, ports, 'second');
    const sim = run.stack.simulator.url;
    assert.equal(run.playground.config.personalChat.id, personal);
    assert.notEqual(run.playground.config.groupChats[0]?.id, group);
    await setPresence(sim, MEGAN.id, 'Busy', 'Busy');
    await run.playground.waitFor(personal, says('The 1 watch you added there has ended'), 20_000);
    await run.playground.send(personal, '/watching');
    await signIn(run, personal);
    await waitForSubscriptionCovering(sim, MEGAN.objectId, 15_000);
    await setPresence(sim, MEGAN.id, 'Away', 'Away');
    await run.playground.waitFor(personal, says(`${MEGAN.name} is now Away`), 20_000);

    const log = await readFile(run.botLog, 'utf8');
    assert.doesNotMatch(log, /unhandled bot turn error/);
    assert.match(log, /"code":"TEAMS_CONVERSATION_GONE"/);
  });
});
