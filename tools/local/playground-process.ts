import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePrivateDirectory } from '../../src/store/private-files';
import { startChild, type ManagedChild } from './child-process';
import { waitForHttp } from './wait-until-ready';

/** A running Microsoft 365 Agents Playground. */
export interface PlaygroundProcess {
  readonly url: string;
  readonly child: ManagedChild;
  /** The bot id the Playground puts in `recipient`: the app id simulator tokens are issued to. */
  readonly botId: string;
}

async function playgroundBotId(url: string): Promise<string> {
  const response = await fetch(`${url}/_internal/v1/testConfig`);
  const body = (await response.json()) as { config?: { bot?: { id?: unknown } } };
  const id = body.config?.bot?.id;
  if (typeof id !== 'string' || id.length === 0) {
    throw new Error('the Agents Playground did not say which bot id it uses');
  }
  return id;
}

/** Where the Playground's command-line entry point is installed. */
export function playgroundCliPath(): string {
  try {
    return require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    throw new Error(
      'The Microsoft 365 Agents Playground is not installed: run `npm ci` (it is a devDependency).',
    );
  }
}

/**
 * The personal chat's id, made once and kept in `workDir`: the Playground otherwise picks a new one
 * on every start, and the watches stored for the old chat would never alert again.
 */
export function personalChatId(workDir: string): string {
  const file = path.join(workDir, 'personal-chat-id');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (saved) return saved;
  }
  const id = randomUUID();
  writeFileSync(file, `${id}\n`);
  return id;
}

function listeningPort(child: ManagedChild, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error('the Agents Playground did not start listening in time')),
      timeoutMs,
    );
    child.process.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /Listening on (\d+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the Agents Playground stopped (exit ${code})`));
    });
  });
}

/** Starts the Playground pointed at the bot, in its own working folder (it writes `devTools/` there). */
export async function startPlayground(options: {
  port: number;
  botEndpoint: string;
  workDir: string;
  env: Record<string, string>;
}): Promise<PlaygroundProcess> {
  makePrivateDirectory(options.workDir);
  const child = startChild({
    name: 'Agents Playground',
    command: process.execPath,
    args: [
      playgroundCliPath(),
      '-e',
      options.botEndpoint,
      '-c',
      'msteams',
      '-p',
      String(options.port),
      '--conversation-id',
      personalChatId(options.workDir),
      '--disable-telemetry',
    ],
    cwd: options.workDir,
    env: { ...options.env, TEAMSAPPTESTER_BROWSER: 'none' },
    output: 'pipe',
  });
  const log = createWriteStream(path.join(options.workDir, 'playground.log'), { flags: 'a' });
  child.process.stdout?.pipe(log);
  child.process.stderr?.pipe(log);
  try {
    const port = await listeningPort(child, 60_000);
    const url = `http://localhost:${port}`;
    await waitForHttp(`${url}/_internal/v1/testConfig`, {
      timeoutMs: 30_000,
      what: 'the Agents Playground',
      gaveUp: child.exited,
    });
    return { url, child, botId: await playgroundBotId(url) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
