import type { Kysely } from 'kysely';
import type { Logger } from '../../logging/logger';
import type { DatabaseSchema } from '../../store/database-schema';
import { purgeFinished } from '../../store/notification-inbox';

/** Finished items are kept this long: well past Graph's 4-hour retry window, so redeliveries still dedupe. */
export const INBOX_RETENTION_MS = 24 * 60 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Periodically deletes inbox items finished before the retention window; returns a stop function. */
export function startInboxRetention(
  db: Kysely<DatabaseSchema>,
  now: () => number,
  logger: Logger,
): () => void {
  const log = logger.child({ module: 'inbox-retention' });
  const purge = (): void => {
    purgeFinished(db, now() - INBOX_RETENTION_MS).then(
      (purged) => {
        if (purged.items > 0) log.info(purged, 'purged finished notification items');
      },
      (error: unknown) => log.warn({ err: error }, 'could not purge finished notification items'),
    );
  };
  const timer = setInterval(purge, PURGE_INTERVAL_MS);
  timer.unref();
  purge();
  return () => clearInterval(timer);
}
