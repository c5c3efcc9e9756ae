import type { Logger } from '../logging/logger';
import {
  findPersonalConversation,
  getConversationReference,
  type StoredConversation,
} from '../store/conversation-references';
import { threadBaseId } from '../store/conversation-threads';
import type { StoreExecutor } from '../store/database-schema';
import { moveThreadToChannel } from '../store/thread-relocation';
import type { Watch } from '../store/watches';
import type { WatchService } from '../watch/watch-service';
import type { SendToConversation } from './bot-connector-sender';
import { toTeamsSendError } from './teams-send-error';

/** What settling a lost conversation needs. */
export interface LostConversationDeps {
  readonly db: StoreExecutor;
  readonly log: Logger;
  readonly send: SendToConversation;
  readonly now: () => number;
  /** Forgets a lost conversation with its watches, and tells the keeper. */
  readonly watches: Pick<WatchService, 'forgetConversations'>;
}

function describe(conversation: StoredConversation | undefined): string {
  if (!conversation) return 'a conversation';
  const kind = conversation.conversationType === 'channel' ? 'channel' : 'group chat';
  return conversation.name ? `the ${kind} “${conversation.name}”` : `a ${kind}`;
}

/** What a watcher is told in their personal chat when a conversation they watched in is gone. */
export function lostConversationNotice(
  lost: StoredConversation | undefined,
  ended: number,
): string {
  const watches =
    ended === 1 ? 'The 1 watch you added there has' : `The ${ended} watches you added there have`;
  return (
    `I can no longer post into ${describe(lost)}: Teams says it no longer exists, or I was removed from it. ` +
    `${watches} ended; /watch those people again in a chat where I am (here works).`
  );
}

const THREAD_NOTICE =
  'The thread where people were watched no longer exists, so their alerts now come here, to the channel.';

/**
 * Teams says a conversation is gone (403/404), an expected situation: a channel thread's watches
 * move to the channel itself; any other conversation is forgotten (watches, reference, queued
 * alerts) and each watcher is told plainly in their personal chat. Returns the removed watches.
 */
export async function settleLostConversation(
  deps: LostConversationDeps,
  conversationId: string,
): Promise<Watch[]> {
  const lost = await getConversationReference(deps.db, conversationId);
  if (lost && threadBaseId(conversationId) !== conversationId) {
    const { channel, moved } = await moveThreadToChannel(deps.db, lost, deps.now());
    deps.log.warn(
      {
        code: 'TEAMS_CONVERSATION_GONE',
        conversationId,
        movedTo: channel.conversationId,
        watches: moved.length,
      },
      'a channel thread no longer exists; its watches moved to the channel',
    );
    if (moved.length === 0) return [];
    try {
      await deps.send(channel.reference, { type: 'message', text: THREAD_NOTICE });
      return [];
    } catch (error) {
      if (toTeamsSendError(error, deps.now()).code !== 'TEAMS_CONVERSATION_GONE') return [];
      return settleLostConversation(deps, channel.conversationId);
    }
  }
  const removed = await deps.watches.forgetConversations([conversationId]);
  deps.log.warn(
    { code: 'TEAMS_CONVERSATION_GONE', conversationId, watches: removed.length },
    'a conversation no longer exists; its data was cleaned up',
  );
  if (lost?.conversationType !== 'personal') await tellWatchers(deps, lost, removed);
  return removed;
}

async function tellWatchers(
  deps: LostConversationDeps,
  lost: StoredConversation | undefined,
  removed: readonly Watch[],
): Promise<void> {
  const byWatcher = new Map<string, Watch[]>();
  for (const watch of removed) {
    byWatcher.set(watch.watcherId, [...(byWatcher.get(watch.watcherId) ?? []), watch]);
  }
  for (const [watcherId, watches] of byWatcher) {
    const tenantId = watches[0]?.tenantId ?? '';
    const personal = await findPersonalConversation(deps.db, tenantId, watcherId);
    if (!personal) continue;
    const text = lostConversationNotice(lost, watches.length);
    await deps.send(personal.reference, { type: 'message', text }).catch((error: unknown) =>
      deps.log.warn(
        {
          code: toTeamsSendError(error, deps.now()).code,
          conversationId: personal.conversationId,
        },
        'could not tell a watcher that a conversation is gone',
      ),
    );
  }
}
