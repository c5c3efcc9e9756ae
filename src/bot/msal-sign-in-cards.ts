import { randomUUID } from 'node:crypto';
import { CardFactory } from 'botbuilder';
import { signInLinkCard, type SignInCards } from './sign-in-card';
import type { SignInLinks } from './sign-in-links';

/** What msal-mode cards need: links to the code flow and, in Teams, the SSO resource. */
export interface MsalSignInCardOptions {
  links: SignInLinks;
  /** The SSO resource (`api://botid-{BOT_ID}`) Teams exchanges tokens for; undefined locally (no SSO). */
  ssoResourceUri: string | undefined;
}

const SIGN_IN_TEXT =
  'Sign in so I can read presence for you (Presence.Read.All, User.ReadBasic.All). Your command runs once you are signed in.';
const CONSENT_TEXT =
  'Your organisation needs your consent before I can read presence for you (Presence.Read.All, User.ReadBasic.All). Open the link, accept, and come back: your command runs then.';

/**
 * Sign-in cards for SIGN_IN_MODE=msal: in Teams an OAuth card carrying the SSO token exchange
 * resource (Teams sends `signin/tokenExchange`; its button opens the code flow); without SSO a link
 * card to the code flow. The consent card links to the code flow, where Entra asks for consent.
 */
export function createMsalSignInCards(options: MsalSignInCardOptions): SignInCards {
  return {
    async signInCard(context) {
      const link = await options.links.linkFor(context);
      if (!options.ssoResourceUri) return signInLinkCard(link, SIGN_IN_TEXT);
      return CardFactory.oauthCard('', 'Sign in', SIGN_IN_TEXT, link, {
        id: randomUUID(),
        uri: options.ssoResourceUri,
      });
    },
    async linkCard(context) {
      return signInLinkCard(await options.links.linkFor(context), SIGN_IN_TEXT);
    },
    async consentCard(context) {
      return signInLinkCard(
        await options.links.linkFor(context),
        CONSENT_TEXT,
        'Consent and sign in',
      );
    },
  };
}
