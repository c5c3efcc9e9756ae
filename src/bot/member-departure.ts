import type { ChannelAccount } from 'botbuilder';
import { findAadObjectIdOfChannelUser } from '../store/channel-accounts';
import type { CommandTurn } from './bot-deps';
import { conversationScopeIds } from './conversation-scope';

/** What the conversation is told when someone who watched people there leaves. */
export function departureNotice(name: string, ended: number): string {
  const who = name || 'A member who watched people here';
  const watches =
    ended === 1 ? 'the 1 watch they added here has' : `the ${ended} watches they added here have`;
  return (
    `${who} left, so ${watches} ended: their sign-in no longer feeds this conversation. ` +
    'Anyone still here can /watch those people again; /watching shows what is still watched.'
  );
}

async function entraIdOf(turn: CommandTurn, member: ChannelAccount): Promise<string | undefined> {
  if (member.aadObjectId) return member.aadObjectId;
  return findAadObjectIdOfChannelUser(turn.deps.db, turn.user.tenantId, member.id);
}

/**
 * Members left the conversation (or the team): the watches each added there end with their
 * queued alerts, the keeper shrinks their subscription, and the conversation is told.
 */
export async function endDepartedWatchers(
  turn: CommandTurn,
  members: readonly ChannelAccount[],
): Promise<void> {
  const scope = await conversationScopeIds(turn);
  const { tenantId } = turn.user;
  for (const member of members) {
    const watcherId = await entraIdOf(turn, member);
    if (!watcherId) continue;
    const removed = await turn.deps.watches.endWatcher(tenantId, watcherId, scope);
    if (removed.length === 0) continue;
    turn.logger.info(
      { watches: removed.length },
      'a watcher left a conversation; their watches ended',
    );
    await turn.context.sendActivity(departureNotice(member.name ?? '', removed.length));
  }
}
