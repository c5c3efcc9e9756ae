import type { Selectable } from 'kysely';
import type { ConversationReference } from 'botbuilder';
import type {
  ConversationReferencesTable,
  ConversationType,
  EpochMs,
  StoreExecutor,
} from './database-schema';
import { storeOperation } from './store-failure';

/** A conversation the bot can post into proactively. */
export interface StoredConversation {
  readonly conversationId: string;
  readonly tenantId: string;
  readonly serviceUrl: string;
  readonly reference: Partial<ConversationReference>;
  readonly conversationType: ConversationType;
  readonly name: string | null;
  readonly updatedAt: EpochMs;
}

/** What to store for a conversation (everything but the time). */
export type ConversationInput = Omit<StoredConversation, 'updatedAt'>;

/** Stores or refreshes a conversation's reference (call it on every incoming activity). */
export async function upsertConversationReference(
  db: StoreExecutor,
  conversation: ConversationInput,
  now: EpochMs,
): Promise<void> {
  const values = {
    tenant_id: conversation.tenantId,
    service_url: conversation.serviceUrl,
    reference: JSON.stringify(conversation.reference),
    conversation_type: conversation.conversationType,
    name: conversation.name,
    updated_at: now,
  };
  await storeOperation('upsert conversation reference', () =>
    db
      .insertInto('conversation_references')
      .values({ ...values, conversation_id: conversation.conversationId })
      .onConflict((conflict) => conflict.column('conversation_id').doUpdateSet(values))
      .execute(),
  );
}

/** The stored reference of a conversation, or undefined when there is none. */
export async function getConversationReference(
  db: StoreExecutor,
  conversationId: string,
): Promise<StoredConversation | undefined> {
  const row = await storeOperation('get conversation reference', () =>
    db
      .selectFrom('conversation_references')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst(),
  );
  return row ? storedConversationOf(row) : undefined;
}

/** Deletes a conversation's reference; true when there was one. */
export async function deleteConversationReference(
  db: StoreExecutor,
  conversationId: string,
): Promise<boolean> {
  const result = await storeOperation('delete conversation reference', () =>
    db
      .deleteFrom('conversation_references')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows) > 0;
}

function storedConversationOf(row: Selectable<ConversationReferencesTable>): StoredConversation {
  return {
    conversationId: row.conversation_id,
    tenantId: row.tenant_id,
    serviceUrl: row.service_url,
    reference: JSON.parse(row.reference) as Partial<ConversationReference>,
    conversationType: row.conversation_type,
    name: row.name,
    updatedAt: row.updated_at,
  };
}

/** The personal chat of a user (by the Entra id its reference names), if the bot has one. */
export async function findPersonalConversation(
  db: StoreExecutor,
  tenantId: string,
  aadObjectId: string,
): Promise<StoredConversation | undefined> {
  const wanted = aadObjectId.trim().toLowerCase();
  const rows = await storeOperation('find personal conversation', () =>
    db
      .selectFrom('conversation_references')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('conversation_type', '=', 'personal')
      .where((eb) => eb(eb.fn('lower', ['reference']), 'like', `%${wanted}%`))
      .orderBy('updated_at', 'desc')
      .execute(),
  );
  return rows
    .map(storedConversationOf)
    .find((stored) => stored.reference.user?.aadObjectId?.toLowerCase() === wanted);
}
