import { ActivityTypes, StatusCodes } from 'botbuilder';
import { isAppError } from '../errors/app-error';
import type { CommandTurn } from './bot-deps';
import { dispatchCommand } from './command-dispatch';
import { takePendingCommand } from './pending-commands';
import { accountOf } from './sign-in-gate';

/** The user now has a token: the keeper resumes their coverage at once. */
function signedIn(turn: CommandTurn, via: string): void {
  turn.logger.info({ via }, 'sign-in done');
  if (turn.user.aadObjectId) turn.deps.onSignedIn(turn.user.tenantId, turn.user.aadObjectId);
}

async function resumePendingCommand(turn: CommandTurn): Promise<void> {
  const pending = takePendingCommand(turn.state, turn.user.channelUserId, turn.now());
  if (pending) await dispatchCommand(turn, pending);
}

async function sendInvokeResponse(
  turn: CommandTurn,
  status: number,
  body?: unknown,
): Promise<void> {
  await turn.context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}

/** A 6-digit code pasted from the sign-in page: redeem it, then run the command that waited. */
export async function runMagicCode(turn: CommandTurn, code: string): Promise<void> {
  try {
    await turn.deps.tokens.tokenFor(accountOf(turn), code);
  } catch (error) {
    if (!isAppError(error, 'TOKEN_UNAVAILABLE')) throw error;
    const card = await turn.deps.signInCards.signInCard(turn.context);
    await turn.context.sendActivity({
      text: 'That code didn’t work (wrong, used or expired). Sign in again to get a new one.',
      attachments: [card],
    });
    return;
  }
  signedIn(turn, 'code');
  await turn.context.sendActivity('You are signed in.');
  await resumePendingCommand(turn);
}

/** Teams SSO `signin/tokenExchange`: swap the SSO token; on refusal Teams shows the sign-in button. */
export async function runTokenExchange(turn: CommandTurn): Promise<void> {
  const value = (turn.context.activity.value ?? {}) as {
    id?: string;
    connectionName?: string;
    token?: string;
  };
  const token = value.token
    ? await turn.deps.tokens.exchange(accountOf(turn), value.token)
    : undefined;
  if (!token) {
    await sendInvokeResponse(turn, StatusCodes.PRECONDITION_FAILED, {
      id: value.id,
      connectionName: value.connectionName,
      failureDetail: 'The token could not be exchanged; sign in with the button instead.',
    });
    return;
  }
  await sendInvokeResponse(turn, StatusCodes.OK, {
    id: value.id,
    connectionName: value.connectionName,
  });
  signedIn(turn, 'sso');
  await resumePendingCommand(turn);
}

/** Teams `signin/verifyState`: the sign-in window closed with a code; redeem it and carry on. */
export async function runVerifyState(turn: CommandTurn): Promise<void> {
  const state = (turn.context.activity.value as { state?: unknown } | undefined)?.state;
  const code = typeof state === 'string' ? state : '';
  try {
    await turn.deps.tokens.tokenFor(accountOf(turn), code || undefined);
  } catch (error) {
    if (!isAppError(error, 'TOKEN_UNAVAILABLE')) throw error;
    await sendInvokeResponse(turn, StatusCodes.NOT_FOUND);
    return;
  }
  await sendInvokeResponse(turn, StatusCodes.OK);
  signedIn(turn, 'verify-state');
  await resumePendingCommand(turn);
}
