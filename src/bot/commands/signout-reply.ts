import type { SignOutOutcome } from '../../watch/user-sign-out';
import { getConversationReference } from '../../store/conversation-references';
import type { Watch } from '../../watch/watch-service';
import type { CommandTurn } from '../bot-deps';
import { directoryPerson } from '../person-resolver';

/** The most watches the sign-out reply lists one by one. */
export const MAX_LISTED_WATCHES = 10;

async function whereText(turn: CommandTurn, conversationId: string): Promise<string> {
  if (conversationId === turn.context.activity.conversation.id) return 'here';
  const stored = await getConversationReference(turn.deps.db, conversationId);
  if (!stored || stored.conversationType === 'personal') return 'in our private chat';
  const kind = stored.conversationType === 'channel' ? 'channel' : 'group chat';
  return stored.name ? `in ${kind} “${stored.name}”` : `in a ${kind}`;
}

async function nameOf(turn: CommandTurn, token: string | undefined, id: string): Promise<string> {
  if (!token) return 'someone';
  const person = await directoryPerson(turn.deps.graph, token, id).catch(() => undefined);
  return person?.name ?? 'someone';
}

function subscriptionLine(outcome: SignOutOutcome | undefined): string {
  if (!outcome || outcome.subscriptionDeleted) {
    return 'You are signed out: I no longer use your sign-in, and the presence subscription it kept is deleted.';
  }
  return (
    'You are signed out: I no longer use your sign-in. I couldn’t delete the presence ' +
    'subscription it kept; Microsoft Graph ends it within the hour, or I delete it when you sign in again.'
  );
}

/**
 * The `/signout` reply: what happened to the sign-in and its subscription, and for each of the
 * user's watches whether a colleague's sign-in keeps its alerts coming or it is paused.
 */
export async function signOutReply(
  turn: CommandTurn,
  token: string | undefined,
  outcome: SignOutOutcome | undefined,
  watches: readonly Watch[],
): Promise<string> {
  const lines = [subscriptionLine(outcome)];
  if (watches.length === 0) {
    lines.push('You watch nobody, so nothing else changes.');
  } else {
    lines.push('Your watches:');
    for (const watch of watches.slice(0, MAX_LISTED_WATCHES)) {
      const covered = outcome?.coveredByOthers.has(watch.targetId) ?? false;
      const what = covered
        ? 'alerts go on: a colleague who watches them too covers them with their sign-in'
        : 'paused until you sign in again';
      const where = await whereText(turn, watch.conversationId);
      lines.push(`- ${await nameOf(turn, token, watch.targetId)} ${where}: ${what}.`);
    }
    const more = watches.length - MAX_LISTED_WATCHES;
    if (more > 0) lines.push(`- and ${more} more, each paused unless a colleague covers them.`);
  }
  lines.push('Send any command to sign in again; paused watches then resume within seconds.');
  return lines.join('\n\n');
}
