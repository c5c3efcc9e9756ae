import { pathToFileURL } from 'node:url';
import { createLogger, isTerminal } from '../../src/logging/logger';
import { builtBotEntry } from './bot-process';
import { loadLocalConfig, type LocalConfig } from './local-config';
import { startLocalStack, type LocalStack } from './local-stack';

const DIM = process.stdout.isTTY ? '\u001b[2m' : '';
const BOLD = process.stdout.isTTY ? '\u001b[1m' : '';
const RESET = process.stdout.isTTY ? '\u001b[0m' : '';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function status(line: string): void {
  say(`${DIM}[local]${RESET} ${line}`);
}

/** The one line a newcomer needs: where to go and what to type. */
export function nextStepLine(playgroundUrl: string): string {
  return `${BOLD}Open ${playgroundUrl} and type "/watch @Megan Bowen" in Personal Chat, then sign in from the card (in Group Chat or a channel, @mention Test Bot first).${RESET}`;
}

function stopOnSignals(stack: LocalStack): void {
  let stopping = false;
  const stop = (reason: string, exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    status(`${reason}: stopping the bot, the Playground and the simulator...`);
    stack.stop().then(
      () => {
        status('stopped');
        process.exit(exitCode);
      },
      (error: unknown) => {
        status(`stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  void stack.ended.then((reason) => stop(reason, 1));
}

async function startLocal(config: LocalConfig): Promise<void> {
  status('starting the local Teams experience (no Microsoft tenant needed)...');
  const stack = await startLocalStack({
    config,
    presence: 'demo',
    simulatorLogger: createLogger({
      level: 'warn',
      format: 'pretty',
      colorize: isTerminal(process.stdout),
    }),
    botOutput: 'inherit',
    status,
  });
  status('demo mode: a colleague changes presence every few seconds');
  say('');
  say(nextStepLine(stack.playgroundUrl));
  say('');
  stopOnSignals(stack);
}

/** `npm start`: the bot alone with a real configuration (BOT_ID set), else the whole local stack. */
async function main(): Promise<void> {
  const config = loadLocalConfig(process.env);
  if (config.mode === 'real') {
    await import(pathToFileURL(builtBotEntry()).href);
    return;
  }
  await startLocal(config);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm start failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
