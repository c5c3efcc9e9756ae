import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalSignInMode } from '../../tools/local/local-config';
import { startLocalStack, type LocalStack } from '../../tools/local/local-stack';
import { silentLogger } from '../../src/logging/logger';
import { signInLinkIn } from './sign-in-link';
import {
  connectPlayground,
  type PlaygroundClient,
  type StreamedMessage,
} from './playground-client';

/** The whole local experience as `npm start` runs it, on free ports with a fresh data folder. */
export interface TestStack {
  readonly stack: LocalStack;
  readonly playground: PlaygroundClient;
  readonly dataDir: string;
  /** The end of the bot's log, for failure messages. */
  botLogTail(lines?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts simulator (presence changed only by the admin API), Playground and the built bot. */
export async function startTestStack(
  signInMode: LocalSignInMode = 'bot-service',
): Promise<TestStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pw-e2e-'));
  const botLog = path.join(dataDir, 'bot.log');
  const stack = await startLocalStack({
    config: {
      mode: 'local',
      signInMode,
      dataDir,
      ports: { simulator: 0, bot: 0, playground: 0 },
      passThrough: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'json',
      },
    },
    presence: 'manual',
    simulatorLogger: silentLogger(),
    botOutput: { file: botLog },
    status: () => undefined,
  });
  const playground = await connectPlayground(stack.playgroundUrl);
  return {
    stack,
    playground,
    dataDir,
    async botLogTail(lines = 40) {
      const text = await readFile(botLog, 'utf8').catch(() => '');
      return text.split('\n').slice(-lines).join('\n');
    },
    async stop() {
      playground.close();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The sign-in link of the sign-in card in `message`, or undefined when it has none. */
export function signInLinkOf(message: StreamedMessage): string | undefined {
  return signInLinkIn(message.attachments);
}

/** Signs in through the simulator's page as a browser would: open, Accept, read the code. */
export async function acceptSignIn(link: string): Promise<string> {
  const page = await fetch(link);
  const html = await page.text();
  const action = /formaction="([^"]*decision=accept)"/.exec(html)?.[1];
  if (!page.ok || !action) throw new Error(`the sign-in page has no Accept button: ${html}`);
  const accepted = await fetch(new URL(action.replace(/&amp;/g, '&'), link), { method: 'POST' });
  const code = /id="magic-code">(\d{6})</.exec(await accepted.text())?.[1];
  if (!code) throw new Error('the sign-in page showed no code after Accept');
  return code;
}

/** Sets a person's presence through the simulator's admin API. */
export async function setPresence(
  simulatorUrl: string,
  userId: string,
  availability: string,
  activity: string,
): Promise<void> {
  const response = await fetch(`${simulatorUrl}/_sim/presence/${encodeURIComponent(userId)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ availability, activity }),
  });
  if (!response.ok) throw new Error(`setting presence failed: ${await response.text()}`);
}

/** Waits until a live simulator subscription covers `objectId` (the keeper has caught up). */
export async function waitForSubscriptionCovering(
  simulatorUrl: string,
  objectId: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${simulatorUrl}/_sim/subscriptions`);
    const { value } = (await response.json()) as { value: { resource: string }[] };
    if (value.some((s) => s.resource.includes(objectId))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no subscription covers ${objectId} after ${timeoutMs / 1000} s`);
}
