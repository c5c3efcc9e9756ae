import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { GraphClient } from '../graph/graph-client';
import type { Logger } from '../logging/logger';
import type { KeyRing } from '../notifications/keys/key-ring';
import type { DatabaseSchema } from '../store/database-schema';
import type { StoreKeyRing } from '../store/store-keys';
import type { SubscriptionOwner } from '../store/graph-subscriptions';
import type { KeeperConfig } from './keeper-config';
import { REAL_TIMERS, type Timers } from '../background/timers';
import { ResyncQueue } from './resync-queue';
import { strictTokenProvider, type DelegatedTokenProvider } from './token-provider';

/** "Please sign in again", for every conversation that depends on the user's subscription. */
export interface SignInRequiredEvent {
  readonly tenantId: string;
  readonly userId: string;
  /** Conversations where the user watches someone, sorted. */
  readonly conversationIds: readonly string[];
  /** Why: TOKEN_UNAVAILABLE, GRAPH_UNAUTHORIZED or GRAPH_FORBIDDEN. */
  readonly errorCode: string;
}

/** What the subscription keeper is built from. */
export interface KeeperDeps {
  readonly db: Kysely<DatabaseSchema>;
  readonly graph: GraphClient;
  readonly tokens: DelegatedTokenProvider;
  /** The store key that seals clientStates. */
  readonly storeKey: StoreKeyRing;
  readonly keyRing: KeyRing;
  readonly logger: Logger;
  /** The clock every expiry and schedule is judged by (epoch ms). */
  readonly now: () => number;
  readonly config: KeeperConfig;
  readonly timers?: Timers;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** This instance's lease owner name (default a random one). */
  readonly leaseOwner?: string;
  /** Called once per failure episode when a user must sign in again. */
  readonly onSignInRequired?: (event: SignInRequiredEvent) => void | Promise<void>;
  /** Called after every pass of the running loop (a health heartbeat). */
  readonly onPass?: () => void;
  /** A resync stored a presence change: the alert fan-out runs now instead of at its next poll. */
  readonly onPresenceStored?: () => void;
}

/** The keeper's resolved dependencies and in-memory state, shared by its steps. */
export interface KeeperContext extends Required<
  Omit<KeeperDeps, 'onSignInRequired' | 'onPass' | 'onPresenceStored'>
> {
  readonly log: Logger;
  readonly resyncs: ResyncQueue;
  /** Graph ids reported removed by lifecycle events: recreate them without trying to renew. */
  readonly removed: Set<string>;
  /** Tenants whose coverage must be planned again in this pass. */
  readonly replanRequests: Set<string>;
  /** When each `tenant|owner` last had a subscription on another URL replaced (APP_REGISTRATION_SHARED). */
  readonly replacedElsewhere: Map<string, number>;
  /** `tenant|person` ids the directory did not know, left out of coverage until the time given. */
  readonly unknownPeople: Map<string, number>;
  /** Users who signed in again since the last pass: their subscriptions are due at once. */
  readonly signedIn: Map<string, SubscriptionOwner>;
  readonly onSignInRequired: (event: SignInRequiredEvent) => void | Promise<void>;
  readonly onPresenceStored: () => void;
}

/** Resolves defaults and builds the keeper's shared context. */
export function createKeeperContext(deps: KeeperDeps): KeeperContext {
  return {
    ...deps,
    tokens: strictTokenProvider(deps.tokens),
    timers: deps.timers ?? REAL_TIMERS,
    random: deps.random ?? Math.random,
    leaseOwner: deps.leaseOwner ?? `keeper-${randomUUID()}`,
    log: deps.logger.child({ module: 'subscription-keeper' }),
    resyncs: new ResyncQueue(),
    removed: new Set(),
    replanRequests: new Set(),
    replacedElsewhere: new Map(),
    unknownPeople: new Map(),
    signedIn: new Map(),
    onSignInRequired: deps.onSignInRequired ?? (() => undefined),
    onPresenceStored: deps.onPresenceStored ?? (() => undefined),
  };
}
