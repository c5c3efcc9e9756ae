import type { ConversationReference } from 'botbuilder';
import type { ConversationType } from '../store/database-schema';
import { upsertConversationReference } from '../store/conversation-references';
import type { StoreExecutor } from '../store/database-schema';

/** Stores the reference of a conversation the bot was seen in, so alerts can be posted there later. */
export async function rememberConversation(
  db: StoreExecutor,
  reference: Partial<ConversationReference>,
  now: number,
): Promise<void> {
  const conversation = reference.conversation;
  if (!conversation?.id || !reference.serviceUrl) return;
  await upsertConversationReference(
    db,
    {
      conversationId: conversation.id,
      tenantId: conversation.tenantId ?? '',
      serviceUrl: reference.serviceUrl,
      reference,
      conversationType: conversationTypeOf(conversation.conversationType),
      name: conversation.name ?? null,
    },
    now,
  );
}

function conversationTypeOf(type: string | undefined): ConversationType {
  if (type === 'groupChat' || type === 'channel') return type;
  return 'personal';
}
