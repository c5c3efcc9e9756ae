import type { EventEmitter } from 'node:events';
import { rememberConversation } from '../alerts/conversation-memory';
import type { Config } from '../config/config';
import { MAX_PRESENCE_IDS } from '../graph/presence-resource';
import { createStoredSubscriptionSecrets } from '../store/subscription-secrets';
import { keeperConfig } from '../watch/keeper-config';
import { createKeeperEventSink } from '../watch/notification-event-sink';
import { createSubscriptionKeeper, type SubscriptionKeeper } from '../watch/subscription-keeper';
import { createWatchService, type WatchService } from '../watch/watch-service';
import type { FanOutSettings } from '../alerts/alert-fanout';
import { signInRequests, startAlertService, type AlertService } from './alert-service';
import { startBotService } from './bot-service';
import type { Foundation } from './foundation';
import { startNotificationService, type NotificationService } from './notification-service';
import { leaseOwnerOf } from './process-identity';
import type { TeamsConnection } from './teams-connection';

/**
 * Announces that a presence change was stored (by the inbox worker, a keeper resync or presence a
 * conversation was shown) to the alert fan-out, which is built after the keeper and the watches.
 */
export type PresenceStored = EventEmitter<{ stored: [] }>;

/** The coverage limits watch admission and the keeper share. */
function coverageOf(config: Config): { redundancy: number; maxIdsPerSubscription: number } {
  return { redundancy: config.graph.coverageRedundancy, maxIdsPerSubscription: MAX_PRESENCE_IDS };
}

/**
 * The subscription keeper (not started); users who must sign in again are asked in their
 * conversations, and presence changes its resyncs store are announced on `presenceStored`.
 */
export function buildKeeper(
  base: Foundation,
  teams: TeamsConnection,
  publicBaseUrl: string,
  presenceStored: PresenceStored,
): SubscriptionKeeper {
  const { config, store, logger, now } = base;
  return createSubscriptionKeeper({
    db: store.db,
    graph: base.graph,
    tokens: teams.tokens,
    storeKey: base.storeKey,
    keyRing: base.keyRing,
    logger,
    now,
    config: keeperConfig({ publicBaseUrl, ...coverageOf(config), ...config.keeper }),
    leaseOwner: leaseOwnerOf(base.identity, 'keeper'),
    onSignInRequired: signInRequests({ db: store.db, send: teams.alertSend, logger, now }),
    onPass: base.passes.keeper,
    onPresenceStored: () => presenceStored.emit('stored'),
    timers: base.timers,
  });
}

/** The watch service: every change to watches goes through it, and it tells the keeper. */
export function buildWatches(
  base: Foundation,
  keeper: SubscriptionKeeper,
  presenceStored: PresenceStored,
): WatchService {
  const { config, store, now } = base;
  return createWatchService({
    store,
    coverage: coverageOf(config),
    keeper,
    now,
    onPresenceStored: () => presenceStored.emit('stored'),
  });
}

/**
 * Starts alert delivery, woken by every stored presence change; the watches it removes go through
 * the watch service.
 */
export function buildAlerts(
  base: Foundation,
  teams: TeamsConnection,
  watches: WatchService,
  presenceStored: PresenceStored,
  fanOut?: FanOutSettings,
): AlertService {
  const alerts = startAlertService({
    store: base.store,
    send: teams.alertSend,
    graph: base.graph,
    tokens: teams.tokens,
    logger: base.logger,
    now: base.now,
    watches,
    leaseOwner: leaseOwnerOf(base.identity, 'alerts'),
    metrics: base.metrics,
    passes: base.passes,
    timings: base.config.alerts,
    ...(fanOut ? { fanOut } : {}),
    timers: base.timers,
  });
  presenceStored.on('stored', () => alerts.presenceChanged());
  return alerts;
}

/** Builds the bot and serves it on `POST /api/messages`. */
export function buildBot(
  base: Foundation,
  teams: TeamsConnection,
  keeper: SubscriptionKeeper,
  watches: WatchService,
): void {
  const { config, store, now } = base;
  startBotService({
    config,
    teams,
    store,
    graph: base.graph,
    server: base.server,
    logger: base.logger,
    now,
    watches,
    onSignedIn: (tenantId, userId) => keeper.userSignedIn(tenantId, userId),
    releaseSignIn: (request) => keeper.userSignedOut(request),
    onConversationSeen: (reference) => rememberConversation(store.db, reference, now()),
  });
}

/** Serves the webhook and starts the inbox worker; stored presence is announced on `presenceStored`. */
export function buildNotifications(
  base: Foundation,
  keeper: SubscriptionKeeper,
  presenceStored: PresenceStored,
): NotificationService {
  const { store, logger, now } = base;
  return startNotificationService({
    config: base.config,
    store,
    keyRing: base.keyRing,
    secrets: createStoredSubscriptionSecrets(store.db, base.storeKey),
    sink: createKeeperEventSink({ signals: keeper, logger, now }),
    server: base.server,
    logger,
    now,
    leaseOwner: leaseOwnerOf(base.identity, 'inbox'),
    metrics: base.metrics,
    onPass: base.passes.inbox,
    onPresenceCommitted: () => presenceStored.emit('stored'),
    timers: base.timers,
  });
}
