import { ActivityTypes, StatusCodes } from 'botbuilder';
import type { CommandTurn } from './bot-deps';
import { firstSsoFailureNotice } from './pending-commands';

/** Failures where Teams already shows the user an install or sign-in card. */
const SHOWN_TO_USER = new Set(['installappfailed', 'authrequestfailed']);

const KNOWN_CODES = new Set([
  ...SHOWN_TO_USER,
  'installedappnotfound',
  'invokeerror',
  'resourcematchfailed',
  'oauthcardnotvalid',
  'tokenmissing',
]);

/** What an admin should check for the failures that are configuration problems. */
const ADMIN_HINTS: Readonly<Record<string, string>> = {
  resourcematchfailed:
    'the token exchange URL on the OAuth card (the OAuth connection’s Token Exchange URL, or api://botid-{BOT_ID} and SSO_AUDIENCES with SIGN_IN_MODE=msal) must equal the Application ID URI under "Expose an API" of the Entra app',
  installedappnotfound:
    'the app is not installed for this user, or the manifest’s bot id is not BOT_ID',
  oauthcardnotvalid:
    'the OAuth card is not valid: check the OAuth connection name and the manifest’s webApplicationInfo (id and resource)',
};

const NOTICE_TEXT =
  'Single sign-on didn’t work in this Teams client, so I couldn’t sign you in automatically. Sign in with this link instead; your command runs once you are signed in.';

/** The documented failure code Teams sent; anything unknown, missing or malformed is `invokeerror`. */
function failureCodeOf(value: unknown): string {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && KNOWN_CODES.has(code) ? code : 'invokeerror';
}

/**
 * Teams `signin/failure` (SSO failed on the client): answer 200, log a warning with the code (and
 * a hint for the admin where it is a configuration problem), and where the user sees nothing, send
 * them a sign-in link without SSO once per pending sign-in; the waiting command runs after it.
 */
export async function runSignInFailure(turn: CommandTurn): Promise<void> {
  const failureCode = failureCodeOf(turn.context.activity.value);
  const hint = ADMIN_HINTS[failureCode];
  turn.logger.warn(
    {
      failureCode,
      conversationId: turn.context.activity.conversation?.id,
      ...(hint ? { hint } : {}),
    },
    'Teams single sign-on failed on the client',
  );
  await turn.context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: StatusCodes.OK },
  });
  if (SHOWN_TO_USER.has(failureCode)) return;
  if (!firstSsoFailureNotice(turn.state, turn.user.channelUserId, turn.now())) return;
  const card = await turn.deps.signInCards.linkCard(turn.context);
  await turn.context.sendActivity({ text: NOTICE_TEXT, attachments: [card] });
}
