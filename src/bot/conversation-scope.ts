import { teamsGetTeamId } from 'botbuilder';
import { storedThreadIds, threadBaseId } from '../store/conversation-threads';
import type { ConversationScope } from '../watch/watch-service';
import type { CommandTurn } from './bot-deps';

/**
 * The turn's own conversation, as the watch service names it; in a channel (where each post is a
 * conversation of its own) with the channel, so that "here" is the whole channel.
 */
export function turnConversation(turn: CommandTurn): ConversationScope {
  const { id, conversationType } = turn.context.activity.conversation;
  const scope = { tenantId: turn.user.tenantId, conversationId: id };
  return conversationType === 'channel' ? { ...scope, channelId: threadBaseId(id) } : scope;
}

/**
 * The stored conversation ids a membership event covers: this conversation, its reply chains, and
 * (in a team) the team's General channel and its chains.
 */
export async function conversationScopeIds(turn: CommandTurn): Promise<Set<string>> {
  const activity = turn.context.activity;
  const ids = new Set([activity.conversation.id]);
  const bases = new Set([threadBaseId(activity.conversation.id)]);
  const teamId = teamsGetTeamId(activity);
  if (teamId) bases.add(threadBaseId(teamId));
  for (const base of bases) {
    for (const id of await storedThreadIds(turn.deps.db, base)) ids.add(id);
  }
  return ids;
}
