import type { Kysely } from 'kysely';
import type { Request, Response, Server } from 'restify';
import { isAppError } from '../../errors/app-error';
import type { Logger } from '../../logging/logger';
import { readRawBody } from '../../server/read-raw-body';
import { createSourceRateLimit, type SourceRateLimit } from '../../server/source-rate-limit';
import type { DatabaseSchema } from '../../store/database-schema';
import { appendBatch, type InboxBatchInput } from '../../store/inbox-queue';
import { inTransaction } from '../../store/store-transaction';
import { parseEnvelope, type ParsedEnvelope } from './notification-envelope';
import type { SubscriptionGate } from './subscription-gate';

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
  /** Keeps items of subscriptions that are not ours (or carry a wrong clientState) out of the inbox. */
  gate: SubscriptionGate;
  /** Per-source budget charged only by dropped items (default: 10,000 at once, 1,000 a second). */
  rateLimit?: SourceRateLimit;
  maxBodyBytes: number;
  logger: Logger;
  now: () => number;
  onStored: () => void;
}

/** Items (or unusable bodies) a source may have dropped at once before it is answered 429. */
export const DROPPED_ITEMS_BURST = 10_000;
/** How many dropped items a second a source is forgiven. */
export const DROPPED_ITEMS_PER_SECOND = 1_000;

/** The webhook paths Graph posts to: change notifications and lifecycle events. */
export const NOTIFICATION_PATHS = ['/api/notifications', '/api/lifecycle'] as const;

interface Intake {
  deps: NotificationRouteDeps;
  rateLimit: SourceRateLimit;
  tally: RejectionTally;
  log: Logger;
}

/** Registers the Graph webhook routes: the validation handshake and durable intake. */
export function registerNotificationRoutes(server: Server, deps: NotificationRouteDeps): void {
  const log = deps.logger.child({ module: 'notification-routes' });
  const intake: Intake = {
    deps,
    rateLimit:
      deps.rateLimit ??
      createSourceRateLimit({
        capacity: DROPPED_ITEMS_BURST,
        refillPerSecond: DROPPED_ITEMS_PER_SECOND,
        maxSources: 10_000,
        now: deps.now,
      }),
    tally: createRejectionTally(log, deps.now),
    log,
  };
  const handler = createNotificationHandler(intake);
  for (const path of NOTIFICATION_PATHS) server.post(path, handler);
}

function createNotificationHandler(intake: Intake) {
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
    const source = req.socket.remoteAddress ?? 'unknown';
    const retryAfter = intake.rateLimit.retryAfterSeconds(source);
    if (retryAfter > 0) {
      req.resume();
      intake.tally.record({ items: 0, limited: true });
      res.writeHead(429, { 'Retry-After': String(retryAfter), Connection: 'close' });
      res.end();
      return;
    }
    res.writeHead(await receive(req, source, intake));
    res.end();
  };
}

async function receive(req: Request, source: string, intake: Intake): Promise<number> {
  const { deps } = intake;
  const receivedAt = deps.now();
  let envelope: ParsedEnvelope;
  try {
    envelope = parseEnvelope(await readRawBody(req, deps.maxBodyBytes));
  } catch (error) {
    if (isAppError(error, 'REQUEST_BODY_TOO_LARGE')) return 413;
    intake.rateLimit.charge(source, 1);
    intake.tally.record({ items: 0, malformedBody: true });
    return 202;
  }
  let admitted: ParsedEnvelope['items'];
  try {
    admitted = await admittedItems(envelope, deps.gate);
  } catch (error) {
    intake.log.error(
      { err: error },
      'could not check a batch against our subscriptions; Graph will retry',
    );
    return 503;
  }
  const dropped = envelope.items.length - admitted.length;
  if (dropped > 0) {
    intake.rateLimit.charge(source, dropped);
    intake.tally.record({ items: dropped });
  }
  if (admitted.length === 0) return 202;
  try {
    const result = await deps.inbox.append({ ...envelope, items: admitted }, receivedAt);
    intake.log.debug(result, 'notification batch stored');
    deps.onStored();
    return 202;
  } catch (error) {
    intake.log.error({ err: error }, 'could not store a notification batch; Graph will retry');
    return 503;
  }
}

async function admittedItems(
  envelope: ParsedEnvelope,
  gate: SubscriptionGate,
): Promise<ParsedEnvelope['items']> {
  const verdicts = await Promise.all(
    envelope.items.map((item) => gate.admits(item.subscriptionId, item.clientStateSha256)),
  );
  return envelope.items.filter((_, i) => verdicts[i]);
}

function validationTokenOf(url: string): string | null {
  const query = url.indexOf('?');
  if (query < 0) return null;
  return new URLSearchParams(url.slice(query + 1)).get('validationToken');
}

type AppendResult = { inserted: number; duplicates: number };

interface Waiting {
  batch: InboxBatchInput;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * An inbox writer that commits every batch that arrives while a commit is running in the next
 * single transaction (group commit), so one durable sync serves many concurrent POSTs.
 */
export function createGroupCommitInbox(
  db: Kysely<DatabaseSchema>,
  maxBatchesPerCommit = 128,
): InboxWriter {
  let queue: Waiting[] = [];
  let flushing = false;

  const flush = async (): Promise<void> => {
    flushing = true;
    while (queue.length > 0) {
      const group = queue.slice(0, maxBatchesPerCommit);
      queue = queue.slice(group.length);
      await commitGroup(db, group);
    }
    flushing = false;
  };

  return {
    append(envelope, receivedAt) {
      return new Promise<AppendResult>((resolve, reject) => {
        const batch = {
          receivedAt,
          validationTokens: envelope.validationTokens,
          items: envelope.items,
        };
        queue.push({ batch, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

async function commitGroup(db: Kysely<DatabaseSchema>, group: Waiting[]): Promise<void> {
  try {
    const results = await inTransaction(db, async (trx) => {
      const settled: AppendResult[] = [];
      for (const waiting of group) settled.push(await appendBatch(trx, waiting.batch));
      return settled;
    });
    group.forEach((waiting, i) => waiting.resolve(results[i] ?? { inserted: 0, duplicates: 0 }));
  } catch {
    for (const waiting of group) {
      await appendBatch(db, waiting.batch).then(waiting.resolve, waiting.reject);
    }
  }
}

/** What the receiver dropped, counted; logged as one summary line per interval, never per item. */
interface RejectionTally {
  /** A batch (or body) dropped: how many items, and whether the whole body was unusable. */
  record(rejection: { items: number; malformedBody?: boolean; limited?: boolean }): void;
}

/** Builds a tally that logs at most one warning per `intervalMs` (default 10 s). */
function createRejectionTally(log: Logger, now: () => number, intervalMs = 10_000): RejectionTally {
  let counts = { batches: 0, items: 0, malformedBodies: 0, rateLimited: 0 };
  let loggedAt = Number.NEGATIVE_INFINITY;
  return {
    record(rejection) {
      counts.batches += 1;
      counts.items += rejection.items;
      if (rejection.malformedBody) counts.malformedBodies += 1;
      if (rejection.limited) counts.rateLimited += 1;
      if (now() - loggedAt < intervalMs) return;
      log.warn(counts, 'dropped notification traffic that is not ours (counts since last report)');
      counts = { batches: 0, items: 0, malformedBodies: 0, rateLimited: 0 };
      loggedAt = now();
    },
  };
}
