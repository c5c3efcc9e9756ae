import type { TurnState } from '@microsoft/teams-ai';
import type { CommandRequest } from './bot-deps';

/** How long a command waits for its user to finish signing in. */
export const PENDING_COMMAND_TTL_MS = 15 * 60 * 1000;

interface PendingCommand {
  readonly request: CommandRequest;
  readonly savedAt: number;
  ssoFailureTold?: boolean;
}

type PendingCommands = Record<string, PendingCommand>;

function pendingOf(state: TurnState): PendingCommands {
  const conversation = state.conversation as { pendingCommands?: PendingCommands };
  conversation.pendingCommands ??= {};
  return conversation.pendingCommands;
}

/** Keeps the user's command in conversation state until they have signed in. */
export function savePendingCommand(
  state: TurnState,
  channelUserId: string,
  request: CommandRequest,
  now: number,
): void {
  pendingOf(state)[channelUserId] = { request: structuredClone(request), savedAt: now };
}

/** True when the user has a command waiting for sign-in that is still fresh. */
export function hasPendingCommand(state: TurnState, channelUserId: string, now: number): boolean {
  const pending = pendingOf(state)[channelUserId];
  return pending !== undefined && now - pending.savedAt < PENDING_COMMAND_TTL_MS;
}

/**
 * True the first time it is asked for the user's fresh waiting command (so the user hears of a
 * failed single sign-on once per pending sign-in); false after that or when nothing waits.
 */
export function firstSsoFailureNotice(
  state: TurnState,
  channelUserId: string,
  now: number,
): boolean {
  const pending = pendingOf(state)[channelUserId];
  if (!pending || now - pending.savedAt >= PENDING_COMMAND_TTL_MS || pending.ssoFailureTold) {
    return false;
  }
  pending.ssoFailureTold = true;
  return true;
}

/** Removes and returns the user's waiting command, if it is still fresh. */
export function takePendingCommand(
  state: TurnState,
  channelUserId: string,
  now: number,
): CommandRequest | undefined {
  const all = pendingOf(state);
  const pending = all[channelUserId];
  delete all[channelUserId];
  if (!pending || now - pending.savedAt >= PENDING_COMMAND_TTL_MS) return undefined;
  return pending.request;
}
