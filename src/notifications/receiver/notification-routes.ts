import type { Request, Response, Server } from 'restify';
import { isAppError } from '../../errors/app-error';
import type { Logger } from '../../logging/logger';
import { readRawBody } from '../../server/read-raw-body';
import { parseEnvelope, type ParsedEnvelope } from './notification-envelope';

/** Where received batches go: one durable write per batch. */
export interface InboxWriter {
  append(
    envelope: ParsedEnvelope,
    receivedAt: number,
  ): Promise<{ inserted: number; duplicates: number }>;
}

/** What the notification routes need. */
export interface NotificationRouteDeps {
  inbox: InboxWriter;
  maxBodyBytes: number;
  logger: Logger;
  now: () => number;
  onStored: () => void;
}

/** The webhook paths Graph posts to: change notifications and lifecycle events. */
export const NOTIFICATION_PATHS = ['/api/notifications', '/api/lifecycle'] as const;

/** Registers the Graph webhook routes: the validation handshake and durable intake. */
export function registerNotificationRoutes(server: Server, deps: NotificationRouteDeps): void {
  const log = deps.logger.child({ module: 'notification-routes' });
  const handler = createNotificationHandler(deps, log);
  for (const path of NOTIFICATION_PATHS) server.post(path, handler);
}

function createNotificationHandler(deps: NotificationRouteDeps, log: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const validationToken = validationTokenOf(req.url ?? '');
    if (validationToken !== null) {
      req.resume();
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(validationToken);
      return;
    }
    res.writeHead(await intake(req, deps, log));
    res.end();
  };
}

async function intake(req: Request, deps: NotificationRouteDeps, log: Logger): Promise<number> {
  const receivedAt = deps.now();
  let envelope: ParsedEnvelope;
  try {
    envelope = parseEnvelope(await readRawBody(req, deps.maxBodyBytes));
  } catch (error) {
    if (isAppError(error, 'REQUEST_BODY_TOO_LARGE')) return 413;
    log.warn(
      { code: isAppError(error) ? error.code : 'NOTIFICATION_MALFORMED' },
      'dropped a notification body',
    );
    return 202;
  }
  try {
    const result = await deps.inbox.append(envelope, receivedAt);
    log.debug(result, 'notification batch stored');
    deps.onStored();
    return 202;
  } catch (error) {
    log.error({ err: error }, 'could not store a notification batch; Graph will retry');
    return 503;
  }
}

function validationTokenOf(url: string): string | null {
  const query = url.indexOf('?');
  if (query < 0) return null;
  return new URLSearchParams(url.slice(query + 1)).get('validationToken');
}
