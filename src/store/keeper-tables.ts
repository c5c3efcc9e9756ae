import type { ColumnType, Generated } from 'kysely';
import type { EpochMs } from './database-schema';

/** Where a per-user Graph presence subscription is in its life. */
export type SubscriptionState =
  'creating' | 'active' | 'renewing' | 'failed-auth' | 'failed' | 'deleting';

/** Where a presence observation came from: a change notification or a resync read. */
export type PresenceSource = 'notification' | 'resync';

/** A 0/1 flag: both engines store it as an integer. */
export type StoredFlag = 0 | 1;

/** One person watched in one conversation, on behalf of the user who asked. */
export interface WatchesTable {
  id: Generated<number>;
  tenant_id: string;
  conversation_id: string;
  /** Entra object id (lower-case) of the user who asked. */
  watcher_id: string;
  /** Entra object id (lower-case) of the watched person. */
  target_id: string;
  only_when_available: StoredFlag;
  once: StoredFlag;
  include_activity: StoredFlag;
  created_at: EpochMs;
  /** When the conversation was last shown the person's presence; earlier changes are not news. */
  baseline_at: ColumnType<EpochMs, EpochMs | undefined, EpochMs>;
}

/** The one Graph presence subscription a consenting user owns, and what it should cover. */
export interface GraphSubscriptionsTable {
  tenant_id: string;
  /** Entra object id (lower-case) of the user whose token makes the subscription. */
  owner_id: string;
  graph_subscription_id: string | null;
  /** JSON array of the ids the live subscription covers, sorted. */
  covered_ids: ColumnType<string, string | undefined, string>;
  /** JSON array of the ids the planner wants covered, sorted. */
  desired_ids: string;
  client_state_sealed: string | null;
  certificate_id: string | null;
  expires_at: EpochMs | null;
  state: SubscriptionState;
  last_error_code: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_action_at: EpochMs;
  lease_owner: string | null;
  lease_until: EpochMs | null;
  /** When desired first differed from covered since the last recreate; null when they agree. */
  dirty_since: EpochMs | null;
  updated_at: EpochMs;
}

/** The last-known presence of one person. */
export interface PresenceStateTable {
  tenant_id: string;
  user_id: string;
  availability: string;
  activity: string;
  observed_at: EpochMs;
  /** Incremented on every real change. */
  version: number;
  /** Graph's lexicographically sortable version of the stored presence; null when unknown. */
  sequence_number: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Outbox of presence changes for the bot: each real change is written once. */
export interface PresenceChangesTable {
  id: Generated<number>;
  tenant_id: string;
  user_id: string;
  /** Null when there was no last-known presence before this observation. */
  from_availability: string | null;
  from_activity: string | null;
  to_availability: string;
  to_activity: string;
  observed_at: EpochMs;
  source: PresenceSource;
  created_at: EpochMs;
  lease_owner: string | null;
  lease_until: EpochMs | null;
  consumed_at: EpochMs | null;
}

/** A "sign in again" alert, raised once per failure episode of a user's token. */
export interface UserSigninAlertsTable {
  tenant_id: string;
  user_id: string;
  raised_at: EpochMs;
  cleared_at: EpochMs | null;
}
