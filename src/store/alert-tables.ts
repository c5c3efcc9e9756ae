import type { ColumnType, Generated } from 'kysely';
import type { EpochMs } from './database-schema';

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
