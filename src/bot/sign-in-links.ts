import { randomBytes } from 'node:crypto';
import { TeamsInfo, TurnContext } from 'botbuilder';
import { AppError } from '../errors/app-error';
import type { StoreExecutor } from '../store/database-schema';
import { savePendingSignIn } from '../store/pending-sign-ins';
import type { StoreKeyRing } from '../store/store-keys';
import { channelUserOf } from './turn-identity';

/** The path on the bot's own domain that starts the authorization-code sign-in. */
export const SIGN_IN_START_PATH = '/auth/signin';

/** Makes single-use sign-in links bound to the activity's user and conversation. */
export interface SignInLinks {
  linkFor(context: TurnContext): Promise<string>;
}

/** Where links point and where their state is kept. */
export interface SignInLinkOptions {
  db: StoreExecutor;
  storeKey: StoreKeyRing;
  /** The bot's public base URL (PUBLIC_BASE_URL / https://BOT_DOMAIN, or the local URL). */
  baseUrl: () => string;
  now: () => number;
}

/** The speaker's principal name from the channel roster (Entra's login hint), if it answers. */
async function loginHintOf(context: TurnContext): Promise<string | undefined> {
  try {
    const member = await TeamsInfo.getMember(context, context.activity.from.id);
    return member.userPrincipalName || member.email || undefined;
  } catch {
    return undefined;
  }
}

/** Builds the link maker: a random state kept server side (sealed) with the user and conversation. */
export function createSignInLinks(options: SignInLinkOptions): SignInLinks {
  return {
    async linkFor(context) {
      const { activity } = context;
      const user = channelUserOf(activity);
      if (!user.aadObjectId) throw new AppError('SIGN_IN_STATE_INVALID', 'no Entra user to bind');
      const state = randomBytes(32).toString('base64url');
      const loginHint = await loginHintOf(context);
      await savePendingSignIn(options.db, options.storeKey, state, {
        tenantId: user.tenantId,
        aadObjectId: user.aadObjectId,
        channelUserId: user.channelUserId,
        reference: TurnContext.getConversationReference(activity),
        createdAt: options.now(),
        ...(loginHint ? { loginHint } : {}),
      });
      const base = options.baseUrl().replace(/\/+$/, '');
      return `${base}${SIGN_IN_START_PATH}?state=${state}`;
    },
  };
}
