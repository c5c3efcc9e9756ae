import { createBackgroundLoop, NOTHING_DUE } from '../background/background-loop';
import { REAL_TIMERS } from '../background/timers';
import type { Logger } from '../logging/logger';

const DAY_MS = 24 * 60 * 60 * 1000;

/** When and how often the bot checks its client secret's expiry date. */
export interface SecretExpiryDeps {
  /** When BOT_PASSWORD expires (epoch ms); undefined when nobody recorded it. */
  readonly expiresAt: number | undefined;
  readonly now: () => number;
  readonly logger: Logger;
  /** Warn this long ahead (default 30 days). */
  readonly warnAheadMs?: number;
  /** Check this often (default daily). */
  readonly checkEveryMs?: number;
}

/** Logs one line about the client secret when it expires within the warning window or has expired. */
export function checkSecretExpiry(deps: SecretExpiryDeps): void {
  if (deps.expiresAt === undefined) return;
  const log = deps.logger.child({ module: 'secret-expiry' });
  const remainingMs = deps.expiresAt - deps.now();
  const fields = { expiresAt: new Date(deps.expiresAt).toISOString() };
  if (remainingMs <= 0) {
    log.error(
      fields,
      'the bot client secret (BOT_PASSWORD) has expired: replies, alerts and sign-ins fail until it is rotated (docs/deploy.md)',
    );
  } else if (remainingMs <= (deps.warnAheadMs ?? 30 * DAY_MS)) {
    const daysLeft = Math.ceil(remainingMs / DAY_MS);
    log.warn(
      { ...fields, daysLeft },
      `the bot client secret (BOT_PASSWORD) expires in ${daysLeft} day(s): rotate it (docs/deploy.md)`,
    );
  }
}

/** Checks now and then daily; returns a stop function. */
export function startSecretExpiryWarnings(deps: SecretExpiryDeps): () => Promise<void> {
  const loop = createBackgroundLoop({
    pass: () => {
      checkSecretExpiry(deps);
      return Promise.resolve(NOTHING_DUE);
    },
    pollIntervalMs: deps.checkEveryMs ?? DAY_MS,
    timers: REAL_TIMERS,
    logger: deps.logger,
    failureMessage: 'secret expiry check failed',
  });
  loop.start();
  return () => loop.stop();
}
