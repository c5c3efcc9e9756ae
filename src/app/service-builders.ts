import { EventEmitter } from 'node:events';
import { rememberConversation } from '../alerts/conversation-memory';
import type { Config } from '../config/config';
import { MAX_PRESENCE_IDS } from '../graph/presence-resource';
import { createStoredSubscriptionSecrets } from '../store/subscription-secrets';
import type { KeeperDeps } from '../watch/keeper-context';
import { keeperConfig, type KeeperConfig } from '../watch/keeper-config';
import { createKeeperEventSink } from '../watch/notification-event-sink';
import {
  createSubscriptionKeeper,
  type KeeperSignals,
  type SubscriptionKeeper,
} from '../watch/subscription-keeper';
import type { DelegatedTokenProvider } from '../watch/token-provider';
import { createWatchService, type WatchService } from '../watch/watch-service';
import type { FanOutSettings } from '../alerts/alert-fanout';
import { signInRequests, startAlertService, type AlertService } from './alert-service';
import { startBotService, type BotService } from './bot-service';
import type { Foundation } from './foundation';
import { startNotificationService, type NotificationService } from './notification-service';
import { leaseOwnerOf } from './process-identity';
import type { TeamsConnection } from './teams-connection';

/**
 * Announces that a presence change was stored (by the inbox worker, a keeper resync or presence a
 * conversation was shown) to the alert fan-out, which is built after the keeper and the watches.
 */
export type PresenceStored = EventEmitter<{ stored: [] }>;

/** Announces that a tenant's watches changed (from the watch service) to the keeper built after it. */
export type WatchesChanged = EventEmitter<{ changed: [tenantId: string] }>;

/** The parts of the foundation the keeper is built from. */
export type KeeperBase = Pick<
  Foundation,
  | 'config'
  | 'store'
  | 'logger'
  | 'now'
  | 'random'
  | 'identity'
  | 'graph'
  | 'storeKey'
  | 'keyRing'
  | 'passes'
  | 'timers'
>;

/** The parts of the foundation alert delivery is built from (no metrics: none recorded). */
export type AlertsBase = Pick<
  Foundation,
  'config' | 'store' | 'logger' | 'now' | 'random' | 'identity' | 'graph' | 'passes' | 'timers'
> &
  Partial<Pick<Foundation, 'metrics'>>;

/** The parts of the foundation the bot is built from. */
export type BotBase = Pick<Foundation, 'config' | 'store' | 'graph' | 'server' | 'logger' | 'now'>;

/** The parts of the foundation the webhook and the inbox worker are built from. */
export type NotificationsBase = Pick<
  Foundation,
  | 'config'
  | 'store'
  | 'keyRing'
  | 'storeKey'
  | 'server'
  | 'logger'
  | 'now'
  | 'identity'
  | 'passes'
  | 'timers'
> &
  Partial<Pick<Foundation, 'metrics'>>;

/** What the bot tells the keeper itself (changed watches go through the watch service): sign-ins and sign-outs. */
export type BotKeeperSide = Pick<SubscriptionKeeper, 'userSignedIn' | 'userSignedOut'>;

/** The coverage limits watch admission and the keeper share. */
function coverageOf(config: Config): { redundancy: number; maxIdsPerSubscription: number } {
  return { redundancy: config.graph.coverageRedundancy, maxIdsPerSubscription: MAX_PRESENCE_IDS };
}

/** The keeper's settings: the configured coverage and KEEPER_* timings, then `settings`. */
export function keeperSettingsOf(
  config: Config,
  settings: Partial<KeeperConfig> & Pick<KeeperConfig, 'publicBaseUrl'>,
): KeeperConfig {
  return keeperConfig({ ...coverageOf(config), ...config.keeper, ...settings });
}

/**
 * The subscription keeper (not started). `settings` holds what is known only at start-up (the
 * public URL); `onSignInRequired` is how users who must sign in again are asked; presence changes
 * its resyncs store are announced on `presenceStored`; it plans a tenant again when told on
 * `watchesChanged`.
 */
export function buildKeeper(
  base: KeeperBase,
  teams: { readonly tokens: DelegatedTokenProvider },
  settings: Partial<KeeperConfig> & Pick<KeeperConfig, 'publicBaseUrl'>,
  onSignInRequired: NonNullable<KeeperDeps['onSignInRequired']>,
  presenceStored: PresenceStored,
  watchesChanged: WatchesChanged,
): SubscriptionKeeper {
  const keeper = createSubscriptionKeeper({
    db: base.store.db,
    graph: base.graph,
    tokens: teams.tokens,
    storeKey: base.storeKey,
    keyRing: base.keyRing,
    logger: base.logger,
    now: base.now,
    random: base.random,
    config: keeperSettingsOf(base.config, settings),
    leaseOwner: leaseOwnerOf(base.identity, 'keeper'),
    onSignInRequired,
    onPresenceStored: () => presenceStored.emit('stored'),
    onPass: base.passes.keeper,
    timers: base.timers,
  });
  watchesChanged.on('changed', (tenantId) => {
    keeper.requestReplan(tenantId);
    keeper.wake();
  });
  return keeper;
}

/** The watch service: every change to watches goes through it and is announced on `watchesChanged`. */
export function buildWatches(
  base: Pick<Foundation, 'config' | 'store' | 'now'>,
  watchesChanged: WatchesChanged,
  presenceStored: PresenceStored,
): WatchService {
  const { config, store, now } = base;
  return createWatchService({
    store,
    coverage: coverageOf(config),
    onWatchesChanged: (tenantId) => watchesChanged.emit('changed', tenantId),
    now,
    onPresenceStored: () => presenceStored.emit('stored'),
  });
}

/** The watch service and the keeper, and where stored presence changes are announced. */
export interface Watching {
  readonly presenceStored: PresenceStored;
  readonly watches: WatchService;
  readonly keeper: SubscriptionKeeper;
}

/**
 * Builds the watch service, then the keeper (not started) that hears of its changes and asks
 * conversations to sign in again through it.
 */
export function buildWatching(
  base: Foundation,
  teams: TeamsConnection,
  publicBaseUrl: string,
): Watching {
  const presenceStored: PresenceStored = new EventEmitter();
  const watchesChanged: WatchesChanged = new EventEmitter();
  const watches = buildWatches(base, watchesChanged, presenceStored);
  const { store, logger, now } = base;
  const keeper = buildKeeper(
    base,
    teams,
    { publicBaseUrl },
    signInRequests({ db: store.db, send: teams.alertSend, logger, now, watches }),
    presenceStored,
    watchesChanged,
  );
  return { presenceStored, watches, keeper };
}

/**
 * Starts alert delivery, woken by every stored presence change; the watches it removes go through
 * the watch service.
 */
export function buildAlerts(
  base: AlertsBase,
  teams: Pick<TeamsConnection, 'alertSend'> & { readonly tokens: DelegatedTokenProvider },
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
    random: base.random,
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
  base: BotBase,
  teams: TeamsConnection,
  keeper: BotKeeperSide,
  watches: WatchService,
): BotService {
  const { config, store, now } = base;
  return startBotService({
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
  base: NotificationsBase,
  keeper: KeeperSignals,
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
