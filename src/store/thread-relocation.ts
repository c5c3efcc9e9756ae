import type { StoredConversation } from './conversation-references';
import { threadBaseId } from './conversation-threads';
import type { EpochMs, StoreExecutor } from './database-schema';
import { storeOperation } from './store-failure';
import { inTransaction } from './store-transaction';
import { listWatches, type Watch } from './watches';

/**
 * A channel reply chain is gone but its channel may not be: in one transaction, stores the
 * channel's reference (from the chain's, unless it has one), moves the chain's watches to the
 * channel (a person the channel already watches keeps the channel's watch), and deletes the
 * chain's reference and pending alerts. Returns the channel's reference and the moved watches.
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
      const watches = await listWatches(executor, { conversationId: chain.conversationId });
      const taken = new Set(
        (await listWatches(executor, { conversationId: channelId })).map((w) => w.targetId),
      );
      const moved = watches.filter((watch) => !taken.has(watch.targetId));
      for (const watch of watches) {
        if (taken.has(watch.targetId)) {
          await executor.deleteFrom('watches').where('id', '=', watch.id).execute();
        } else {
          await executor
            .updateTable('watches')
            .set({ conversation_id: channelId })
            .where('id', '=', watch.id)
            .execute();
        }
      }
      await executor
        .deleteFrom('alert_outbox')
        .where('conversation_id', '=', chain.conversationId)
        .where('status', '=', 'pending')
        .execute();
      await executor
        .deleteFrom('conversation_references')
        .where('conversation_id', '=', chain.conversationId)
        .execute();
      const channel = { ...chain, conversationId: channelId, reference, updatedAt: now };
      return { channel, moved };
    }),
  );
}
