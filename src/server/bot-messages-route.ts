import type { TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logging/logger';
import { activityOf, isAuthenticationFailure, type ActivityAdapter } from './activity-adapter';
import {
  isPlainJsonRequest,
  readJsonBody,
  statusForBodyError,
  type JsonBodyLimits,
} from './read-json-body';

/**
 * The largest activity `/api/messages` reads. Teams caps a message at about 28 KB and invokes
 * (card actions, sign-in) are smaller; 256 KiB leaves room for entities and card data.
 */
export const BOT_ACTIVITY_LIMITS: JsonBodyLimits = { maxBytes: 256 * 1024, maxDepth: 64 };

/** What `POST /api/messages` hands activities to. */
export interface BotMessagesRouteDeps {
  adapter: ActivityAdapter;
  run(context: TurnContext): Promise<void>;
  /** False only in local mode (no BOT_ID): then botbuilder checks no token at all. */
  authenticated: boolean;
  logger: Logger;
}

/**
 * Registers `POST /api/messages`: plain JSON only, bounded and read into memory; with
 * authentication on, a request without a bearer token is refused before its body is read.
 */
export function registerBotMessagesRoute(server: Server, deps: BotMessagesRouteDeps): void {
  const log = deps.logger.child({ module: 'bot-messages-route' });
  server.post('/api/messages', async (req: Request, res: Response) => {
    const refusal = await admitActivity(req, deps.authenticated);
    if (refusal !== undefined) {
      log.debug({ status: refusal }, 'refused a request to /api/messages');
      res.writeHead(refusal, { Connection: 'close' });
      res.end();
      return;
    }
    const [status, body] = await runActivity(req, deps, log);
    if (body === undefined) res.writeHead(status);
    else res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function runActivity(
  req: Request,
  deps: BotMessagesRouteDeps,
  log: Logger,
): Promise<[number, unknown]> {
  const activity = activityOf(req.body as Record<string, unknown>);
  if (!activity) return [400, undefined];
  try {
    const invoke = await deps.adapter.runActivity(
      req.headers.authorization ?? '',
      activity,
      deps.run,
    );
    return [invoke?.status ?? 200, invoke?.body ?? undefined];
  } catch (error) {
    if (isAuthenticationFailure(error)) {
      log.debug('refused an activity whose Bot Framework token did not verify');
      return [401, undefined];
    }
    log.error({ err: { name: (error as Error).name } }, 'processing an activity failed');
    return [500, undefined];
  }
}

async function admitActivity(req: Request, authenticated: boolean): Promise<number | undefined> {
  if (!isPlainJsonRequest(req)) {
    req.resume();
    return 415;
  }
  if (authenticated && !hasBearerToken(req)) {
    req.resume();
    return 401;
  }
  try {
    req.body = await readJsonBody(req, BOT_ACTIVITY_LIMITS);
    return undefined;
  } catch (error) {
    return statusForBodyError(error);
  }
}

function hasBearerToken(req: Request): boolean {
  return /^Bearer \S+$/i.test(req.headers.authorization ?? '');
}
