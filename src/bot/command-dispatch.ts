import type { CommandRequest, CommandTurn } from './bot-deps';
import { CANDIDATE_SUBMIT_VERB } from './cards/candidates-card';
import { PICKER_SUBMIT_VERB } from './cards/people-picker-card';
import { COMMAND_PATTERNS } from './command-text';
import { runHelpCommand } from './commands/help-command';
import { runOptInCommand, runOptOutCommand } from './commands/opt-out-commands';
import { runSignOutCommand } from './commands/signout-command';
import { runUnwatchCommand } from './commands/unwatch-command';
import { runCandidateSubmit, runPickerSubmit } from './commands/watch-submits';
import { runWatchCommand } from './commands/watch-command';
import { runWatchingCommand } from './commands/watching-command';
import { runWhoWatchesMeCommand } from './commands/whowatchesme-command';

/** A command handler. */
export type CommandHandler = (turn: CommandTurn, request: CommandRequest) => Promise<void>;

/** Commands that change or read watches need to know the asker's Entra id. */
function needsWatcher(handler: CommandHandler): CommandHandler {
  return async (turn, request) => {
    if (!turn.user.aadObjectId) {
      await turn.context.sendActivity(
        'I can’t tell who you are in this chat, so I can’t watch for you.',
      );
      return;
    }
    await handler(turn, request);
  };
}

/** Text commands in the order they are tried; every pattern is anchored. */
export const TEXT_COMMANDS: readonly [RegExp, CommandHandler][] = [
  [COMMAND_PATTERNS.watch, needsWatcher(runWatchCommand)],
  [COMMAND_PATTERNS.unwatch, needsWatcher(runUnwatchCommand)],
  [COMMAND_PATTERNS.watching, needsWatcher(runWatchingCommand)],
  [COMMAND_PATTERNS.help, (turn) => runHelpCommand(turn)],
  [COMMAND_PATTERNS.signout, (turn) => runSignOutCommand(turn)],
  [COMMAND_PATTERNS.whowatchesme, needsWatcher((turn) => runWhoWatchesMeCommand(turn))],
  [COMMAND_PATTERNS.optout, needsWatcher((turn) => runOptOutCommand(turn))],
  [COMMAND_PATTERNS.optin, needsWatcher((turn) => runOptInCommand(turn))],
];

/** Card submits by verb. */
export const SUBMIT_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  [PICKER_SUBMIT_VERB]: needsWatcher(runPickerSubmit),
  [CANDIDATE_SUBMIT_VERB]: needsWatcher(runCandidateSubmit),
};

function submitVerbOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const verb = (value as { verb?: unknown }).verb;
  return typeof verb === 'string' ? verb : undefined;
}

/** Runs a request (a fresh one or one that waited for sign-in) with its handler; unknown → help. */
export async function dispatchCommand(turn: CommandTurn, request: CommandRequest): Promise<void> {
  const verb = submitVerbOf(request.value);
  const submit =
    verb !== undefined && Object.hasOwn(SUBMIT_COMMANDS, verb) ? SUBMIT_COMMANDS[verb] : undefined;
  if (submit) return submit(turn, request);
  const match = TEXT_COMMANDS.find(([pattern]) => pattern.test(request.text));
  if (match) return match[1](turn, request);
  return runHelpCommand(turn, true);
}
