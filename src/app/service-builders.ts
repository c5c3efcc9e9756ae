import { rememberConversation } from '../alerts/conversation-memory';
import type { Config } from '../config/config';
import { MAX_PRESENCE_IDS } from '../graph/presence-resource';
import { createStoredSubscriptionSecrets } from '../store/subscription-secrets';
import { keeperConfig } from '../watch/keeper-config';
import { createKeeperEventSink } from '../watch/notification-event-sink';
import { createSubscriptionKeeper, type SubscriptionKeeper } from '../watch/subscription-keeper';
import { createWatchService } from '../watch/watch-service';
import type { FanOutSettings } from '../alerts/fanout-loop';
import { signInRequests, startAlertService, type AlertService } from './alert-service';
import { startBotService } from './bot-service';
import type { Foundation } from './foundation';
import { startNotificationService, type NotificationService } from './notification-service';
import { leaseOwnerOf } from './process-identity';
import type { TeamsConnection } from './teams-connection';

/** The coverage limits watch admission and the keeper share. */
function coverageOf(config: Config): { redundancy: number; maxIdsPerSubscription: number } {
  return { redundancy: config.graph.coverageRedundancy, maxIdsPerSubscription: MAX_PRESENCE_IDS };
}

/** The subscription keeper (not started); users who must sign in again are asked in their conversations. */
export function buildKeeper(
  base: Foundation,
  teams: TeamsConnection,
  publicBaseUrl: string,
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
    timers: base.timers,
  });
}

/** Starts alert delivery; removed watches make the keeper plan their tenant again. */
export function buildAlerts(
  base: Foundation,
  teams: TeamsConnection,
  replan: (tenantId: string) => void,
  fanOut?: FanOutSettings,
): AlertService {
  return startAlertService({
    store: base.store,
    send: teams.alertSend,
    graph: base.graph,
    tokens: teams.tokens,
    logger: base.logger,
    now: base.now,
    onWatchesRemoved: (tenantIds) => tenantIds.forEach(replan),
    leaseOwner: leaseOwnerOf(base.identity, 'alerts'),
    metrics: base.metrics,
    passes: base.passes,
    timings: base.config.alerts,
    ...(fanOut ? { fanOut } : {}),
    timers: base.timers,
  });
}

/** Builds the bot and serves it on `POST /api/messages`. */
export function buildBot(
  base: Foundation,
  teams: TeamsConnection,
  keeper: SubscriptionKeeper,
): void {
  const { config, store, now } = base;
  const watches = createWatchService({ store, coverage: coverageOf(config), keeper, now });
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

/** Serves the webhook and starts the inbox worker; stored presence wakes the alert fan-out. */
export function buildNotifications(
  base: Foundation,
  keeper: SubscriptionKeeper,
  alerts: AlertService,
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
    onPresenceCommitted: () => alerts.presenceChanged(),
    timers: base.timers,
  });
}
