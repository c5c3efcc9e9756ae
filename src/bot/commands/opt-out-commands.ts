import { getConversationReference } from '../../store/conversation-references';
import type { CommandTurn } from '../bot-deps';
import { capped, escapeMarkdown } from '../user-text';

/** The note left in each conversation that stopped watching someone who opted out. */
export function optedOutNotice(name: string): string {
  const who = name ? escapeMarkdown(capped(name)) : 'Someone watched here';
  return `${who} has opted out of presence watching, so I’ve stopped watching them in this conversation.`;
}

/** Posts `text` into each stored conversation; returns how many received it. */
async function tellConversations(
  turn: CommandTurn,
  conversationIds: readonly string[],
  text: string,
): Promise<number> {
  let told = 0;
  for (const conversationId of conversationIds) {
    const stored = await getConversationReference(turn.deps.db, conversationId);
    if (!stored) continue;
    try {
      await turn.deps.sendToConversation(stored.reference, { type: 'message', text });
      told += 1;
    } catch (error) {
      turn.logger.warn(
        { err: { name: error instanceof Error ? error.name : typeof error }, conversationId },
        'could not post the opt-out note',
      );
    }
  }
  return told;
}

function conversations(count: number): string {
  return `${count} ${count === 1 ? 'conversation' : 'conversations'}`;
}

/**
 * `/optout`: nobody may watch the asker any more. Existing watches of them are removed (each
 * affected conversation gets a short note) and new ones are refused until `/optin`.
 */
export async function runOptOutCommand(turn: CommandTurn): Promise<void> {
  const removed = await turn.deps.watches.optOut(turn.user.tenantId, turn.user.aadObjectId ?? '');
  const here = turn.context.activity.conversation.id;
  const affected = [...new Set(removed.map((watch) => watch.conversationId))];
  const elsewhere = affected.filter((id) => id !== here);
  const told = await tellConversations(turn, elsewhere, optedOutNotice(turn.user.name));
  const lines = ['You’re opted out: nobody can watch your presence with me now.'];
  if (affected.length > 0) {
    const notes = told > 0 ? ` and left a short note in ${conversations(told)}` : '';
    lines.push(`I stopped watching you in ${conversations(affected.length)}${notes}.`);
  }
  lines.push('Send /optin to allow it again.');
  await turn.context.sendActivity(lines.join(' '));
}

/** `/optin`: colleagues may watch the asker again (earlier watches do not come back). */
export async function runOptInCommand(turn: CommandTurn): Promise<void> {
  const wasOut = await turn.deps.watches.optIn(turn.user.tenantId, turn.user.aadObjectId ?? '');
  await turn.context.sendActivity(
    wasOut
      ? 'You’re opted in: colleagues can watch your presence again. Earlier watches don’t come back; they need to /watch you again.'
      : 'You weren’t opted out: colleagues can already watch your presence.',
  );
}
