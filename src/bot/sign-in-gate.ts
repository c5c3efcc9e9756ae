import { isAppError } from '../errors/app-error';
import type { CommandRequest, CommandTurn } from './bot-deps';
import { savePendingCommand } from './pending-commands';
import type { SignInAccount } from './user-token-provider';

/** The sign-in account of the turn's user. */
export function accountOf(turn: CommandTurn): SignInAccount {
  const { channelUserId, channelId, tenantId, aadObjectId } = turn.user;
  return { channelUserId, channelId, tenantId, aadObjectId };
}

/** Keeps the command for after sign-in and sends the sign-in card. */
export async function askToSignIn(turn: CommandTurn, request: CommandRequest): Promise<void> {
  savePendingCommand(turn.state, turn.user.channelUserId, request, turn.now());
  const card = await turn.deps.signInCards.signInCard(turn.context);
  await turn.context.sendActivity({ attachments: [card] });
}

/**
 * Runs `work` with the user's delegated token. Without one (or when Graph refuses it) the command
 * waits in conversation state and the user gets a sign-in card; it runs once they are signed in.
 */
export async function withUserToken(
  turn: CommandTurn,
  request: CommandRequest,
  work: (token: string) => Promise<void>,
): Promise<void> {
  let token: string;
  try {
    token = await turn.deps.tokens.tokenFor(accountOf(turn));
  } catch (error) {
    if (isAppError(error, 'TOKEN_UNAVAILABLE')) return askToSignIn(turn, request);
    throw error;
  }
  try {
    await work(token);
  } catch (error) {
    if (isAppError(error, 'GRAPH_UNAUTHORIZED')) return askToSignIn(turn, request);
    throw error;
  }
}

/** The user's token if they have one now, else undefined (no card is sent). */
export async function tokenIfSignedIn(turn: CommandTurn): Promise<string | undefined> {
  try {
    return await turn.deps.tokens.tokenFor(accountOf(turn));
  } catch (error) {
    if (isAppError(error, 'TOKEN_UNAVAILABLE')) return undefined;
    throw error;
  }
}
