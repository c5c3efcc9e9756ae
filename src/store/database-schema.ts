import type { BotStateTable } from './bot-state';
import type { ChannelAccountsTable } from './channel-accounts';
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type {
  GraphSubscriptionsTable,
  PresenceChangesTable,
  PresenceStateTable,
  UserSigninAlertsTable,
  WatchesTable,
} from './keeper-tables';
import type { AlertOutboxTable, ConversationReferencesTable } from './alert-tables';
import type { PrivacyOptOutsTable } from './privacy-opt-outs';
import type { MsalTokenCacheTable } from './msal-token-cache';

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

/** Every table of the store, as Kysely sees it. */
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

/** A row of `notification_inbox` as read. */
export type InboxRow = Selectable<NotificationInboxTable>;
/** A row of `notification_inbox` as written. */
export type NewInboxRow = Insertable<NotificationInboxTable>;
/** A row of `encryption_keys` as read. */
export type EncryptionKeyRow = Selectable<EncryptionKeysTable>;
/** A row of `encryption_keys` as written. */
export type NewEncryptionKeyRow = Insertable<EncryptionKeysTable>;
