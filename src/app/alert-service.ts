import { randomUUID } from 'node:crypto';
import { TEAMS_RETRY } from '../backoff/backoff';
import { AlertSender, type AlertSenderOptions } from '../alerts/alert-sender';
import type { SendToConversation } from '../alerts/bot-connector-sender';
import { ConversationPacer } from '../alerts/conversation-pacer';
import { createDisplayNameLookup } from '../alerts/display-names';
import { createFanOutLoop, type FanOutSettings } from '../alerts/alert-fanout';
import { askConversationsToSignIn } from '../alerts/sign-in-request';
import { REAL_TIMERS, type Timers } from '../background/timers';
import { DEFAULT_ALERT_TIMINGS, type AlertTimings } from '../config/alert-settings';
import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import type { AppMetrics } from '../metrics';
import type { StoreExecutor } from '../store/database-schema';
import type { StoreDatabase } from '../store/open-database';
import type { SignInRequiredEvent } from '../watch/keeper-context';
import type { DelegatedTokenProvider } from '../watch/token-provider';
import type { WatchService } from '../watch/watch-service';

/** The sender settings for the configured alert timings (each instance adds its own `owner`). */
export function alertSenderSettings(timings: AlertTimings): Omit<AlertSenderOptions, 'owner'> {
  return {
    conversationsPerClaim: 20,
    leaseMs: 60_000,
    pollIntervalMs: timings.senderPollMs,
    idleFloorMs: 250,
    maxAttempts: timings.maxAttempts,
    backoff: { ...TEAMS_RETRY, baseMs: timings.retryBaseMs, maxMs: timings.retryMaxMs },
    maxChangesPerCard: 10,
  };
}

/** The fan-out settings for the configured alert timings: batch, lease, window, idle poll. */
export function alertFanOutSettings(timings: AlertTimings): FanOutSettings {
  return {
    batchSize: 100,
    leaseMs: 60_000,
    coalesceWindowMs: timings.coalesceWindowMs,
    pollMs: 1_000,
  };
}

/** The sender settings with no ALERT_* variable set. */
export const ALERT_SENDER_SETTINGS = alertSenderSettings(DEFAULT_ALERT_TIMINGS);

/** The fan-out settings with no ALERT_* variable set. */
export const ALERT_FANOUT_SETTINGS = alertFanOutSettings(DEFAULT_ALERT_TIMINGS);

/** What alert delivery is assembled from. */
export interface AlertServiceDeps {
  store: StoreDatabase;
  /** Posts a card into a stored conversation. */
  send: SendToConversation;
  graph: GraphClient;
  tokens: DelegatedTokenProvider;
  logger: Logger;
  now: () => number;
  /** Forgets lost conversations with their watches, and hears of fired `once` watches. */
  watches: Pick<WatchService, 'watchesRemoved' | 'forgetConversations'>;
  /** The lease owner name of the fan-out and the sender (default a random one). */
  leaseOwner?: string;
  /** Records sent cards and alert latency (none when absent). */
  metrics?: AppMetrics;
  /** Called after every pass of the fan-out loop and of the sender (health heartbeats). */
  passes?: { alertFanOut(): void; alertSender(): void };
  /** The ALERT_* timings (default DEFAULT_ALERT_TIMINGS). */
  timings?: AlertTimings;
  /** The fan-out's settings, overriding those of `timings` (the bench sets its own window). */
  fanOut?: FanOutSettings;
  timers?: Timers;
  /** The sender's backoff jitter source (default Math.random). */
  random?: () => number;
}

/** Alert delivery as the rest of the app sees it. */
export interface AlertService {
  /** A presence change was stored: fan it out now instead of at the next poll. */
  presenceChanged(): void;
  stop(): Promise<void>;
}

/** Starts the fan-out loop (presence changes → outbox) and the paced sender (outbox → Teams). */
export function startAlertService(deps: AlertServiceDeps): AlertService {
  const owner = deps.leaseOwner ?? `alerts-${randomUUID()}`;
  const timers = deps.timers ?? REAL_TIMERS;
  const timings = deps.timings ?? DEFAULT_ALERT_TIMINGS;
  const sender = new AlertSender({
    db: deps.store.db,
    logger: deps.logger,
    send: deps.send,
    pacer: new ConversationPacer(),
    now: deps.now,
    timers,
    random: deps.random ?? Math.random,
    options: { owner, ...alertSenderSettings(timings) },
    watches: deps.watches,
    onCardSent: (card, sentAt) =>
      deps.metrics?.alertCardSent(
        card.alertIds.length,
        card.changes.map((change) => change.observedAt),
        sentAt,
      ),
    onPass: () => deps.passes?.alertSender(),
  });
  const fanOut = createFanOutLoop({
    store: deps.store,
    owner,
    settings: deps.fanOut ?? alertFanOutSettings(timings),
    now: deps.now,
    displayNames: createDisplayNameLookup({ ...deps, db: deps.store.db }),
    timers,
    logger: deps.logger,
    onAlertsQueued: (dueAt) => sender.alertsQueued(dueAt),
    onWatchesRemoved: (removed) => deps.watches.watchesRemoved(removed),
    onPass: () => deps.passes?.alertFanOut(),
  });
  fanOut.start();
  sender.start();
  return {
    presenceChanged: () => fanOut.wake(),
    async stop() {
      await fanOut.stop();
      await sender.stop();
    },
  };
}

/** How conversations are asked to have a user sign in again (the keeper's `onSignInRequired`). */
export function signInRequests(deps: {
  db: StoreExecutor;
  send: SendToConversation;
  logger: Logger;
  now: () => number;
  /** Forgets conversations found gone with their watches (and so tells the keeper). */
  watches: Pick<WatchService, 'forgetConversations'>;
}): (event: SignInRequiredEvent) => Promise<void> {
  const log = deps.logger.child({ module: 'sign-in-requests' });
  return async (event) => {
    const { db, send, now } = deps;
    await askConversationsToSignIn({ db, log, send, now, watches: deps.watches }, event);
  };
}
