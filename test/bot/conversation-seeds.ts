import type { ConversationType, StoreExecutor } from '../../src/store/database-schema';
import { upsertConversationReference } from '../../src/store/conversation-references';
import { upsertWatch } from '../../src/store/watches';
import { BOT_ID, CHANNEL_ID, GROUP_ID, PERSONAL_ID, TENANT_ID } from './bot-harness';

const SEEDED_AT = 1_700_000_000_000;

/** Stores a conversation reference as the alert service would from an incoming activity. */
export async function seedConversation(
  db: StoreExecutor,
  conversationId: string,
  conversationType: ConversationType,
  name: string | null = null,
): Promise<void> {
  const serviceUrl = 'http://127.0.0.1:9/connector';
  await upsertConversationReference(
    db,
    {
      conversationId,
      tenantId: TENANT_ID,
      serviceUrl,
      conversationType,
      name,
      reference: {
        serviceUrl,
        channelId: 'msteams',
        bot: { id: BOT_ID, name: 'Presence Watch' },
        conversation: {
          id: conversationId,
          conversationType,
          tenantId: TENANT_ID,
          isGroup: conversationType !== 'personal',
          name: name ?? '',
        },
      },
    },
    SEEDED_AT,
  );
}

/** Stores the harness's group chat “Project”, Alex's personal chat and the channel thread “General”. */
export async function seedEveryKindOfConversation(db: StoreExecutor): Promise<void> {
  await seedConversation(db, GROUP_ID, 'groupChat', 'Project');
  await seedConversation(db, PERSONAL_ID, 'personal');
  await seedConversation(db, CHANNEL_ID, 'channel', 'General');
}

/** Stores a watch of `targetId` by `watcherId` in a conversation, with default options. */
export async function seedWatch(
  db: StoreExecutor,
  conversationId: string,
  watcherId: string,
  targetId: string,
): Promise<void> {
  await upsertWatch(
    db,
    {
      tenantId: TENANT_ID,
      conversationId,
      watcherId,
      targetId,
      onlyWhenAvailable: false,
      once: false,
      includeActivity: false,
    },
    SEEDED_AT,
  );
}

/** Queues a pending alert for a conversation (as the fan-out would). */
export async function seedPendingAlert(
  db: StoreExecutor,
  conversationId: string,
  changeId: number,
  targetId: string,
): Promise<void> {
  await db
    .insertInto('alert_outbox')
    .values({
      change_id: changeId,
      conversation_id: conversationId,
      tenant_id: TENANT_ID,
      target_id: targetId,
      payload: '{}',
      next_attempt_at: SEEDED_AT,
      created_at: SEEDED_AT,
    })
    .execute();
}
