import {
  CardFactory,
  TurnContext,
  type Activity,
  type Attachment,
  type TokenExchangeResource,
} from 'botbuilder';
import type { UserTokenClientFactory } from './user-token-provider';

/** Where the sign-in button leads, and what Teams SSO needs to skip it. */
export interface SignInResource {
  readonly signInLink: string;
  readonly tokenExchangeResource?: TokenExchangeResource;
  /** True when the user finishes by pasting a code into the chat (the simulator's page). */
  readonly pastesCode: boolean;
}

/** Builds the sign-in card for a turn. */
export interface SignInCards {
  signInCard(context: TurnContext): Promise<Attachment>;
  /** The card for a user whose SSO exchange needs consent first: a link to consent and sign in. */
  consentCard(context: TurnContext): Promise<Attachment>;
  /** A link card to the sign-in page that never tries Teams SSO (after SSO failed on the client). */
  linkCard(context: TurnContext): Promise<Attachment>;
}

/** How to reach the sign-in page. */
export interface SignInCardOptions {
  connectionName: string;
  botAppId: string;
  userTokenClient: UserTokenClientFactory;
  /**
   * Local mode: the tenant simulator's URL. Its sign-in page is linked directly, because the token
   * service refuses GetSignInResource without an app id.
   */
  localSignInBaseUrl?: string;
}

/** The base64 TokenExchangeState botbuilder's UserTokenClient would send for this activity. */
export function tokenExchangeState(
  connectionName: string,
  botAppId: string,
  activity: Partial<Activity>,
): string {
  const state = {
    connectionName,
    conversation: TurnContext.getConversationReference(activity),
    relatesTo: activity.relatesTo,
    msAppId: botAppId,
  };
  return Buffer.from(JSON.stringify(state)).toString('base64');
}

/** Finds the sign-in resource: the simulator's page locally, the token service otherwise. */
export async function signInResourceFor(
  options: SignInCardOptions,
  activity: Partial<Activity>,
): Promise<SignInResource> {
  if (options.localSignInBaseUrl) {
    const state = tokenExchangeState(options.connectionName, options.botAppId, activity);
    const base = options.localSignInBaseUrl.replace(/\/+$/, '');
    return { signInLink: `${base}/signin?state=${encodeURIComponent(state)}`, pastesCode: true };
  }
  const client = await options.userTokenClient();
  const resource = await client.getSignInResource(options.connectionName, activity as Activity, '');
  return {
    signInLink: resource.signInLink ?? '',
    ...(resource.tokenExchangeResource
      ? { tokenExchangeResource: resource.tokenExchangeResource }
      : {}),
    pastesCode: false,
  };
}

const SIGN_IN_TEXT =
  'Sign in so I can read presence for you (Presence.Read.All, User.ReadBasic.All).';
const PASTE_CODE_TEXT = `${SIGN_IN_TEXT} After you accept, paste the 6-digit code here.`;
const MENTION_CODE_TEXT = `${SIGN_IN_TEXT} After you accept, send the 6-digit code here with an @mention of me.`;

function pasteCodeText(context: TurnContext): string {
  const type = context.activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' ? MENTION_CODE_TEXT : PASTE_CODE_TEXT;
}

/**
 * A sign-in card without SSO: an Adaptive Card with `text` and one link button. Locally the link
 * is the simulator's page (the text says to paste the code) or the bot's own code-flow route. Not
 * an OAuth card: the Agents Playground adds a "Redeem code" button to OAuth cards that cannot
 * redeem the simulator's codes, so locally there is none.
 */
export function signInLinkCard(signInLink: string, text: string, title = 'Sign in'): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text, wrap: true }],
    actions: [{ type: 'Action.OpenUrl', title, url: signInLink }],
  });
}

/** Builds sign-in cards: OAuth cards (with the SSO token exchange resource) or, locally, a paste-the-code card. */
export function createSignInCards(options: SignInCardOptions): SignInCards {
  const cards: SignInCards = {
    consentCard: (context) => cards.signInCard(context),
    async linkCard(context) {
      const resource = await signInResourceFor(options, context.activity);
      return signInLinkCard(resource.signInLink, pasteCodeText(context));
    },
    async signInCard(context) {
      const resource = await signInResourceFor(options, context.activity);
      if (resource.pastesCode) return signInLinkCard(resource.signInLink, pasteCodeText(context));
      return CardFactory.oauthCard(
        options.connectionName,
        'Sign in',
        SIGN_IN_TEXT,
        resource.signInLink,
        resource.tokenExchangeResource,
      );
    },
  };
  return cards;
}
