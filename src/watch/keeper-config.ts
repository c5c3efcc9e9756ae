import { MAX_PRESENCE_IDS } from '../graph/presence-resource';

/** How the subscription keeper behaves; every duration is in clock milliseconds. */
export interface KeeperConfig {
  /** The bot's public root; notifications go to `/api/notifications`, lifecycle events to `/api/lifecycle`. */
  readonly publicBaseUrl: string;
  /** How many subscriptions should cover each watched person (COVERAGE_REDUNDANCY). */
  readonly redundancy: number;
  readonly maxIdsPerSubscription: number;
  /** How far ahead a new or renewed subscription expires (Graph allows 60 minutes). */
  readonly subscriptionLifetimeMs: number;
  /** How long before expiry a subscription is renewed. */
  readonly renewLeadMs: number;
  /** Coverage changes within this window after the first one become one recreate. */
  readonly debounceMs: number;
  /** The longest the loop sleeps between passes. */
  readonly pollIntervalMs: number;
  /** How often every tenant's coverage is planned again without being asked. */
  readonly replanIntervalMs: number;
  readonly leaseMs: number;
  readonly claimLimit: number;
  /** How many claimed subscriptions are worked on at once. */
  readonly concurrency: number;
  /** How often a user who must sign in again is checked for a working token. */
  readonly authRecheckMs: number;
  /** The longest a live subscription goes unrenewed: the renewal is its liveness check (0: off). */
  readonly livenessCheckMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** How long presence reads that confirm doubtful notifications wait to batch more people. */
  readonly presenceConfirmDelayMs: number;
}

/** The defaults: redundancy 2, 55-minute subscriptions renewed 12 minutes ahead, a 10 s debounce. */
export const DEFAULT_KEEPER_CONFIG: Omit<KeeperConfig, 'publicBaseUrl'> = {
  redundancy: 2,
  maxIdsPerSubscription: MAX_PRESENCE_IDS,
  subscriptionLifetimeMs: 55 * 60_000,
  renewLeadMs: 12 * 60_000,
  debounceMs: 10_000,
  pollIntervalMs: 15_000,
  replanIntervalMs: 60_000,
  leaseMs: 2 * 60_000,
  claimLimit: 20,
  concurrency: 4,
  authRecheckMs: 15 * 60_000,
  livenessCheckMs: 15 * 60_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 15 * 60_000,
  presenceConfirmDelayMs: 2_000,
};

/** The full keeper configuration: the defaults overridden by `overrides`. */
export function keeperConfig(
  overrides: Partial<KeeperConfig> & Pick<KeeperConfig, 'publicBaseUrl'>,
): KeeperConfig {
  return { ...DEFAULT_KEEPER_CONFIG, ...overrides };
}

/** Where Graph posts change notifications for our subscriptions. */
export function notificationUrlOf(config: Pick<KeeperConfig, 'publicBaseUrl'>): string {
  return `${config.publicBaseUrl.replace(/\/+$/, '')}/api/notifications`;
}

/** Where Graph posts lifecycle events for our subscriptions. */
export function lifecycleUrlOf(config: Pick<KeeperConfig, 'publicBaseUrl'>): string {
  return `${config.publicBaseUrl.replace(/\/+$/, '')}/api/lifecycle`;
}
