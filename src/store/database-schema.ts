import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/** An epoch-millisecond timestamp: `bigint` in PostgreSQL, `integer` in SQLite, `number` in TypeScript. */
export type EpochMs = number;

/** Where an inbox item is in its life: waiting, processed, or dropped with an error code. */
export type InboxStatus = 'pending' | 'done' | 'rejected';

/** One notification POST: its validation tokens are stored once for all its items. */
export interface NotificationBatchesTable {
  id: Generated<number>;
  received_at: EpochMs;
  /** JSON array of the batch's validation token strings. */
  validation_tokens: string;
  /** JSON array of the batch's raw item JSON strings (still encrypted), written once. */
  payloads: string;
}

/** One raw (still encrypted) item of a notification batch, waiting for the worker. */
export interface NotificationInboxTable {
  id: Generated<number>;
  batch_id: number;
  dedupe_key: string;
  subscription_id: string | null;
  tenant_id: string | null;
  /** Where the item's raw JSON sits in its batch's `payloads`; items never rewrite it. */
  item_index: number;
  status: ColumnType<InboxStatus, InboxStatus | undefined, InboxStatus>;
  error_code: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  lease_owner: string | null;
  lease_until: EpochMs | null;
  received_at: EpochMs;
  finished_at: EpochMs | null;
}

/** A notification encryption certificate with its private key sealed by the store key. */
export interface EncryptionKeysTable {
  certificate_id: string;
  thumbprint: string;
  certificate_pem: string;
  private_key_sealed: string;
  created_at: EpochMs;
  not_after: EpochMs;
  retired_at: EpochMs | null;
}

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
  /** The watched person's display name as last seen; null when never known. */
  target_name: ColumnType<string | null, string | null | undefined, string | null>;
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

/** Where a conversation lives in Teams. */
export type ConversationType = 'personal' | 'groupChat' | 'channel';

/** Where an alert is in its life: waiting, delivered, given up after retries, or dropped. */
export type AlertStatus = 'pending' | 'sent' | 'failed' | 'dropped';

/** The botbuilder ConversationReference of a conversation, refreshed from every incoming activity. */
export interface ConversationReferencesTable {
  conversation_id: string;
  tenant_id: string;
  service_url: string;
  /** JSON of the botbuilder `ConversationReference`. */
  reference: string;
  conversation_type: ConversationType;
  name: string | null;
  updated_at: EpochMs;
}

/** One alert for one conversation about one presence change, waiting for (or past) delivery. */
export interface AlertOutboxTable {
  id: Generated<number>;
  /** The `presence_changes` id this alert comes from; unique with the conversation. */
  change_id: number;
  conversation_id: string;
  tenant_id: string;
  target_id: string;
  /** JSON of the card data (`AlertPayload`). */
  payload: string;
  status: ColumnType<AlertStatus, AlertStatus | undefined, AlertStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: EpochMs;
  lease_owner: string | null;
  lease_until: EpochMs | null;
  created_at: EpochMs;
  sent_at: EpochMs | null;
  last_error: string | null;
}

/** The table of bot turn state: one JSON document per storage key, with an eTag. */
export interface BotStateTable {
  state_key: string;
  value: string;
  etag: string;
  updated_at: EpochMs;
}

/** The table of channel accounts, one row per (tenant, Entra user). */
export interface ChannelAccountsTable {
  tenant_id: string;
  aad_object_id: string;
  channel_user_id: string;
  channel_id: string;
  updated_at: EpochMs;
}

/** People who asked that nobody watch their presence; one row per (tenant, Entra user). */
export interface PrivacyOptOutsTable {
  tenant_id: string;
  user_id: string;
  opted_out_at: EpochMs;
}

/** One user's MSAL token cache partition, sealed; `version` grows with every write. */
export interface MsalTokenCacheTable {
  partition_key: string;
  cache_sealed: string;
  version: number;
  updated_at: EpochMs;
  lease_owner: string | null;
  lease_until: EpochMs | null;
}

/** Every table of the store. */
export interface DatabaseSchema {
  notification_batches: NotificationBatchesTable;
  notification_inbox: NotificationInboxTable;
  encryption_keys: EncryptionKeysTable;
  watches: WatchesTable;
  graph_subscriptions: GraphSubscriptionsTable;
  presence_state: PresenceStateTable;
  presence_changes: PresenceChangesTable;
  user_signin_alerts: UserSigninAlertsTable;
  conversation_references: ConversationReferencesTable;
  alert_outbox: AlertOutboxTable;
  channel_accounts: ChannelAccountsTable;
  privacy_opt_outs: PrivacyOptOutsTable;
  bot_state: BotStateTable;
  msal_token_cache: MsalTokenCacheTable;
}

/** The engines the store runs on. */
export type StoreEngine = 'sqlite' | 'postgres';

/** A Kysely instance or an open transaction: repository functions accept either. */
export type StoreExecutor = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

/** The store as the few queries that differ by engine need it: the Kysely instance and its engine, fixed at open. */
export interface Store {
  readonly db: Kysely<DatabaseSchema>;
  readonly engine: StoreEngine;
}

/** A row of `encryption_keys` as read. */
export type EncryptionKeyRow = Selectable<EncryptionKeysTable>;
/** A row of `encryption_keys` as written. */
export type NewEncryptionKeyRow = Insertable<EncryptionKeysTable>;
