import type { Request, Response, Server } from 'restify';
import { isAppError } from '../../errors/app-error';
import { renderLegalPage } from '../../legal/legal-page';
import type { Logger } from '../../logging/logger';
import type { StoreExecutor } from '../../store/database-schema';
import {
  attachCodeVerifier,
  findPendingSignIn,
  takePendingSignIn,
  type PendingSignIn,
} from '../../store/pending-sign-ins';
import type { StoreKeyRing } from '../../store/store-keys';
import type { MsalSignIn } from '../msal/msal-sign-in';

/** The redirect URI path Entra returns the authorization code to. */
export const SIGN_IN_CALLBACK_PATH = '/auth/callback';

/** What the sign-in routes need. */
export interface AuthCodeRouteOptions {
  server: Server;
  /** The start path the sign-in links use (`SIGN_IN_START_PATH`). */
  startPath: string;
  msal: Pick<MsalSignIn, 'authorizationUrl' | 'redeemCode'>;
  db: StoreExecutor;
  storeKey: StoreKeyRing;
  /** The bot's public base URL; the redirect URI is this plus SIGN_IN_CALLBACK_PATH. */
  baseUrl: () => string;
  /** The user signed in: tell them in their conversation and resume the waiting command. */
  onSignedIn(signIn: PendingSignIn): Promise<void>;
  logger: Logger;
  now: () => number;
}

interface Page {
  readonly status: number;
  readonly title: string;
  readonly text: string;
}

const INVALID_LINK: Page = {
  status: 400,
  title: 'Sign-in link not valid',
  text: 'This sign-in link is unknown, already used or expired.',
};
const ENTRA_UNAVAILABLE: Page = {
  status: 503,
  title: 'Sign-in unavailable',
  text: 'Microsoft Entra could not be reached. Try again in a minute.',
};
const CANCELLED: Page = {
  status: 400,
  title: 'Sign-in not completed',
  text: 'Sign-in was cancelled or refused.',
};
const OTHER_USER: Page = {
  status: 400,
  title: 'Signed in as someone else',
  text: 'This sign-in link was made for another user.',
};
const REFUSED: Page = {
  status: 400,
  title: 'Sign-in failed',
  text: 'Microsoft Entra refused the sign-in. Try again from Teams.',
};
const SIGNED_IN: Page = {
  status: 200,
  title: 'Signed in to Presence Watch',
  text: 'You are signed in.',
};

function sendPage(res: Response, page: Page): void {
  const html = renderLegalPage({
    title: page.title,
    sections: [
      { heading: page.text, paragraphs: ['You can close this window and return to Teams.'] },
    ],
  });
  res.writeHead(page.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}

function queryOf(req: Request): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The authorization-code + PKCE sign-in on the bot's own domain: `GET {startPath}?state=` makes the
 * authorization URL (verifier kept server side with the state, the same one each time the link is
 * opened, so any tab the user opened can finish) and redirects to Entra;
 * `GET /auth/callback` takes the state once, redeems the code, checks it is the user the link was
 * made for, and hands over to `onSignedIn`. The pages say to return to Teams.
 */
export function registerAuthCodeRoutes(options: AuthCodeRouteOptions): void {
  const logger = options.logger.child({ module: 'auth-code-routes' });
  const { db, storeKey, now } = options;
  const redirectUri = (): string => options.baseUrl().replace(/\/+$/, '') + SIGN_IN_CALLBACK_PATH;
  const refuse = (step: string, code: string, page: Page): Page => {
    logger.info({ code, step }, 'sign-in refused');
    return page;
  };

  const start = async (state: string): Promise<Page | string> => {
    const known = state ? await findPendingSignIn(db, storeKey, state, now()) : undefined;
    if (!known) return refuse('start', 'SIGN_IN_STATE_INVALID', INVALID_LINK);
    let authorization: { url: string; codeVerifier: string };
    try {
      authorization = await options.msal.authorizationUrl({
        state,
        redirectUri: redirectUri(),
        ...(known.loginHint ? { loginHint: known.loginHint } : {}),
        ...(known.codeVerifier ? { codeVerifier: known.codeVerifier } : {}),
      });
    } catch (error) {
      if (!isAppError(error)) throw error;
      return refuse('start', error.code, ENTRA_UNAVAILABLE);
    }
    if (known.codeVerifier) return authorization.url;
    const started = await attachCodeVerifier(
      db,
      storeKey,
      state,
      authorization.codeVerifier,
      now(),
    );
    return started ? authorization.url : refuse('start', 'SIGN_IN_STATE_INVALID', INVALID_LINK);
  };

  const finish = async (query: URLSearchParams): Promise<Page> => {
    const state = query.get('state') ?? '';
    const signIn = state ? await takePendingSignIn(db, storeKey, state, now()) : undefined;
    const code = query.get('code');
    if (!signIn?.codeVerifier) return refuse('callback', 'SIGN_IN_STATE_INVALID', INVALID_LINK);
    if (!code) return refuse('callback', query.get('error') ?? 'no code', CANCELLED);
    try {
      const user = await options.msal.redeemCode({
        code,
        codeVerifier: signIn.codeVerifier,
        redirectUri: redirectUri(),
      });
      if (!sameId(user.tenantId, signIn.tenantId) || !sameId(user.userId, signIn.aadObjectId)) {
        return refuse('user', 'SIGN_IN_STATE_INVALID', OTHER_USER);
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      return refuse('redeem', error.code, REFUSED);
    }
    await options.onSignedIn(signIn).catch((error: unknown) => {
      const errorCode = isAppError(error) ? error.code : 'unexpected';
      logger.error({ err: { code: errorCode } }, 'resuming after sign-in failed');
    });
    return SIGNED_IN;
  };

  options.server.get(options.startPath, async (req: Request, res: Response) => {
    const outcome = await start(queryOf(req).get('state') ?? '');
    if (typeof outcome !== 'string') return sendPage(res, outcome);
    res.writeHead(302, {
      Location: outcome,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
  });

  options.server.get(SIGN_IN_CALLBACK_PATH, async (req: Request, res: Response) => {
    sendPage(res, await finish(queryOf(req)));
  });
}
