import type { StoredConversation } from './conversation-references';
import { threadBaseId } from './conversation-threads';
import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { watchOf, type Watch } from './watches';

/**
 * A channel reply chain is gone but its channel may not be: in one transaction, stores the
 * channel's reference (from the chain's, unless it has one), copies the chain's watches to the
 * channel in one statement (a person the channel already watches, even since a moment ago, keeps
 * the channel's watch), and deletes the chain's watches, reference and pending alerts. Returns the
 * channel's reference and the watches the channel gained.
 */
export async function moveThreadToChannel(
  db: StoreExecutor,
  chain: StoredConversation,
  now: EpochMs,
): Promise<{ channel: StoredConversation; moved: Watch[] }> {
  const channelId = threadBaseId(chain.conversationId);
  const reference = {
    ...chain.reference,
    conversation: { ...chain.reference.conversation, id: channelId },
  } as StoredConversation['reference'];
  return storeOperation('move thread to channel', () =>
    inTransaction(db, async (executor) => {
      await executor
        .insertInto('conversation_references')
        .values({
          conversation_id: channelId,
          tenant_id: chain.tenantId,
          service_url: chain.serviceUrl,
          reference: JSON.stringify(reference),
          conversation_type: chain.conversationType,
          name: chain.name,
          updated_at: now,
        })
        .onConflict((conflict) => conflict.column('conversation_id').doNothing())
        .execute();
      const moved = await executor
        .insertInto('watches')
        .columns([...WATCH_COLUMNS, 'conversation_id'])
        .expression((eb) =>
          eb
            .selectFrom('watches')
            .select([...WATCH_COLUMNS, eb.val(channelId).as('conversation_id')])
            .where('conversation_id', '=', chain.conversationId)
            .orderBy('id'),
        )
        .onConflict((conflict) => conflict.columns(['conversation_id', 'target_id']).doNothing())
        .returningAll()
        .execute();
      for (const table of ['watches', 'conversation_references'] as const) {
        await executor
          .deleteFrom(table)
          .where('conversation_id', '=', chain.conversationId)
          .execute();
      }
      await executor
        .deleteFrom('alert_outbox')
        .where('conversation_id', '=', chain.conversationId)
        .where('status', '=', 'pending')
        .execute();
      const channel = { ...chain, conversationId: channelId, reference, updatedAt: now };
      return { channel, moved: moved.map(watchOf).sort((a, b) => a.id - b.id) };
    }),
  );
}

const WATCH_COLUMNS = [
  'tenant_id',
  'watcher_id',
  'target_id',
  'only_when_available',
  'once',
  'include_activity',
  'created_at',
  'baseline_at',
] as const;
