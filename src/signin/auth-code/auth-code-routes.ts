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

const RETURN_TO_TEAMS = 'You can close this window and return to Teams.';

function sendPage(res: Response, status: number, title: string, text: string): void {
  const html = renderLegalPage({
    title,
    sections: [{ heading: text, paragraphs: [RETURN_TO_TEAMS] }],
  });
  res.writeHead(status, {
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

const INVALID_LINK = 'This sign-in link is unknown, already used or expired.';

/**
 * The authorization-code + PKCE sign-in on the bot's own domain: `GET {startPath}?state=` makes the
 * authorization URL (verifier kept server side with the state) and redirects to Entra;
 * `GET /auth/callback` takes the state once, redeems the code, checks it is the user the link was
 * made for, and hands over to `onSignedIn`. The pages say to return to Teams.
 */
export function registerAuthCodeRoutes(options: AuthCodeRouteOptions): void {
  const logger = options.logger.child({ module: 'auth-code-routes' });
  const redirectUri = (): string => options.baseUrl().replace(/\/+$/, '') + SIGN_IN_CALLBACK_PATH;

  options.server.get(options.startPath, async (req: Request, res: Response) => {
    const state = queryOf(req).get('state') ?? '';
    const { db, storeKey, now } = options;
    const known = state ? await findPendingSignIn(db, storeKey, state, now()) : undefined;
    const authorization = known
      ? await options.msal.authorizationUrl({
          state,
          redirectUri: redirectUri(),
          ...(known.loginHint ? { loginHint: known.loginHint } : {}),
        })
      : undefined;
    const started =
      authorization &&
      (await attachCodeVerifier(db, storeKey, state, authorization.codeVerifier, now()));
    if (!authorization || !started) {
      logger.info({ code: 'SIGN_IN_STATE_INVALID', step: 'start' }, 'sign-in link refused');
      sendPage(res, 400, 'Sign-in link not valid', INVALID_LINK);
      return;
    }
    res.writeHead(302, {
      Location: authorization.url,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
  });

  options.server.get(SIGN_IN_CALLBACK_PATH, async (req: Request, res: Response) => {
    const query = queryOf(req);
    const state = query.get('state') ?? '';
    const signIn = state
      ? await takePendingSignIn(options.db, options.storeKey, state, options.now())
      : undefined;
    const code = query.get('code');
    if (!signIn?.codeVerifier || !code) {
      const entraError = query.get('error');
      logger.info(
        { code: 'SIGN_IN_STATE_INVALID', step: 'callback', entraError },
        'sign-in refused',
      );
      sendPage(
        res,
        400,
        'Sign-in not completed',
        entraError ? 'Sign-in was cancelled or refused.' : INVALID_LINK,
      );
      return;
    }
    try {
      const user = await options.msal.redeemCode({
        code,
        codeVerifier: signIn.codeVerifier,
        redirectUri: redirectUri(),
      });
      if (
        user.tenantId.toLowerCase() !== signIn.tenantId.toLowerCase() ||
        user.userId.toLowerCase() !== signIn.aadObjectId.toLowerCase()
      ) {
        logger.warn({ code: 'SIGN_IN_STATE_INVALID', step: 'user' }, 'signed in as another user');
        sendPage(
          res,
          400,
          'Signed in as someone else',
          'This sign-in link was made for another user.',
        );
        return;
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      logger.warn({ code: error.code, step: 'redeem' }, 'authorization code refused');
      sendPage(
        res,
        400,
        'Sign-in failed',
        'Microsoft Entra refused the sign-in. Try again from Teams.',
      );
      return;
    }
    await options.onSignedIn(signIn).catch((error: unknown) => {
      const code = isAppError(error) ? error.code : 'unexpected';
      logger.error({ err: { code } }, 'resuming after sign-in failed');
    });
    sendPage(res, 200, 'Signed in to Presence Watch', 'You are signed in.');
  });
}
