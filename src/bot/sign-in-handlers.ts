import { ActivityTypes, StatusCodes } from 'botbuilder';
import { isAppError } from '../errors/app-error';
import { claimTokenExchange } from '../store/sso-exchange-claims';
import type { CommandTurn } from './bot-deps';
import { dispatchCommand } from './command-dispatch';
import { takePendingCommand } from './pending-commands';
import { accountOf } from './sign-in-gate';
import { isTokenOfUser } from './token-identity';

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
  let token: string;
  try {
    token = await turn.deps.tokens.tokenFor(accountOf(turn), code);
  } catch (error) {
    if (!isAppError(error, 'TOKEN_UNAVAILABLE')) throw error;
    await sendSignInAgain(
      turn,
      'That code didn’t work (wrong, used or expired). Sign in again to get a new one.',
    );
    return;
  }
  if (!(await keptIfOwn(turn, token, 'code'))) {
    await sendSignInAgain(turn, OTHER_USER_TEXT);
    return;
  }
  await finishSignIn(turn, 'code');
}

const OTHER_USER_TEXT =
  'That sign-in was signed in as someone else, so I signed it out. Sign in again as yourself.';

async function sendSignInAgain(turn: CommandTurn, text: string): Promise<void> {
  const card = await turn.deps.signInCards.signInCard(turn.context);
  await turn.context.sendActivity({ text, attachments: [card] });
}

/**
 * True when the token the token service released names the turn's user; otherwise (a sign-in link
 * opened by someone else) the token is signed out at once and never used.
 */
async function keptIfOwn(turn: CommandTurn, token: string, via: string): Promise<boolean> {
  if (isTokenOfUser(token, turn.user)) return true;
  turn.logger.warn({ via }, 'released token names another user or tenant; signed out');
  await turn.deps.tokens.signOut(accountOf(turn));
  return false;
}

/** The user is signed in: wake the keeper, say so, and run the command that waited. */
export async function finishSignIn(turn: CommandTurn, via: string): Promise<void> {
  signedIn(turn, via);
  await turn.context.sendActivity('You are signed in.');
  await resumePendingCommand(turn);
}

/**
 * Teams SSO `signin/tokenExchange`: swap the SSO token (on refusal Teams shows the sign-in button),
 * check the token is the sender's own, then claim the exchange id in the store so only the first
 * of the copies Teams sends (one per signed-in device) runs the waiting command; the rest get 412.
 */
export async function runTokenExchange(turn: CommandTurn): Promise<void> {
  const value = (turn.context.activity.value ?? {}) as TokenExchangeValue;
  const reply = { id: value.id, connectionName: value.connectionName };
  const token = value.token ? await exchangeSsoToken(turn, value.token) : undefined;
  if (token === CONSENT_REQUIRED) {
    await sendInvokeResponse(turn, StatusCodes.PRECONDITION_FAILED, {
      ...reply,
      failureDetail: 'Consent is required; the bot sent a consent card.',
    });
    await turn.context.sendActivity({
      attachments: [await turn.deps.signInCards.consentCard(turn.context)],
    });
    return;
  }
  if (!token) {
    await sendInvokeResponse(turn, StatusCodes.PRECONDITION_FAILED, {
      ...reply,
      failureDetail: 'The token could not be exchanged; sign in with the button instead.',
    });
    return;
  }
  if (!(await keptIfOwn(turn, token, 'sso'))) {
    await sendInvokeResponse(turn, StatusCodes.PRECONDITION_FAILED, {
      ...reply,
      failureDetail: 'The token does not belong to this user.',
    });
    return;
  }
  if (!(await isFirstCopy(turn, value.id))) {
    await sendInvokeResponse(turn, StatusCodes.PRECONDITION_FAILED, reply);
    return;
  }
  await sendInvokeResponse(turn, StatusCodes.OK, reply);
  signedIn(turn, 'sso');
  await resumePendingCommand(turn);
}

const CONSENT_REQUIRED = Symbol('consent required');

/** Errors that refuse one SSO token (the user can still sign in with the button). */
const SSO_REFUSALS = [
  'SSO_TOKEN_INVALID',
  'SSO_TOKEN_AUDIENCE_INVALID',
  'SSO_TOKEN_ISSUER_INVALID',
  'SSO_TOKEN_TENANT_MISMATCH',
  'SSO_TOKEN_USER_MISMATCH',
  'SIGN_IN_FAILED',
  'JWKS_UNAVAILABLE',
  'ENTRA_UNAVAILABLE',
] as const;

async function exchangeSsoToken(
  turn: CommandTurn,
  ssoToken: string,
): Promise<string | undefined | typeof CONSENT_REQUIRED> {
  try {
    return await turn.deps.tokens.exchange(accountOf(turn), ssoToken);
  } catch (error) {
    if (isAppError(error, 'SIGN_IN_CONSENT_REQUIRED')) return CONSENT_REQUIRED;
    const refusal = SSO_REFUSALS.find((code) => isAppError(error, code));
    if (!refusal) throw error;
    turn.logger.warn({ via: 'sso', code: refusal }, 'SSO token refused');
    return undefined;
  }
}

interface TokenExchangeValue {
  id?: string;
  connectionName?: string;
  token?: string;
}

function isFirstCopy(turn: CommandTurn, exchangeId: string | undefined): Promise<boolean> {
  const activity = turn.context.activity;
  return claimTokenExchange(
    turn.deps.db,
    {
      channelId: activity.channelId ?? '',
      conversationId: activity.conversation?.id ?? '',
      exchangeId: exchangeId ?? '',
    },
    turn.now(),
  );
}

/** Teams `signin/verifyState`: the sign-in window closed with a code; redeem it and carry on. */
export async function runVerifyState(turn: CommandTurn): Promise<void> {
  const state = (turn.context.activity.value as { state?: unknown } | undefined)?.state;
  const code = typeof state === 'string' ? state : '';
  let token: string;
  try {
    token = await turn.deps.tokens.tokenFor(accountOf(turn), code || undefined);
  } catch (error) {
    if (!isAppError(error, 'TOKEN_UNAVAILABLE')) throw error;
    await sendInvokeResponse(turn, StatusCodes.NOT_FOUND);
    return;
  }
  if (!(await keptIfOwn(turn, token, 'verify-state'))) {
    await sendInvokeResponse(turn, StatusCodes.PRECONDITION_FAILED);
    return;
  }
  await sendInvokeResponse(turn, StatusCodes.OK);
  signedIn(turn, 'verify-state');
  await resumePendingCommand(turn);
}
