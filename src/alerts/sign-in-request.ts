import type { SignInRequiredEvent } from '../watch/keeper-context';
import {
  getConversationReference,
  type StoredConversation,
} from '../store/conversation-references';
import { threadBaseId } from '../store/conversation-threads';
import type { Watch } from '../store/watches';
import { settleLostConversation, type LostConversationDeps } from './lost-conversation';
import { toTeamsSendError } from './teams-send-error';

const SHARED_TEXT =
  'I can no longer read presence with the sign-in of someone who watches people here, so some ' +
  'alerts may stop. Whoever added them: send me `/watching` and sign in again when I ask.';

const PERSONAL_TEXT =
  'I can no longer read presence with your sign-in, so alerts for the people you watch may stop. ' +
  'Send me `/watching` and sign in again when I ask.';

/** The request in words: a personal chat has one watcher, who is told about their own sign-in. */
export function signInAgainText(conversation: StoredConversation): string {
  return conversation.conversationType === 'personal' ? PERSONAL_TEXT : SHARED_TEXT;
}

type Outcome = 'asked' | 'gone' | 'failed';

async function ask(deps: LostConversationDeps, conversation: StoredConversation): Promise<Outcome> {
  try {
    await deps.send(conversation.reference, {
      type: 'message',
      text: signInAgainText(conversation),
    });
    return 'asked';
  } catch (error) {
    const { code } = toTeamsSendError(error, deps.now());
    if (code === 'TEAMS_CONVERSATION_GONE') return 'gone';
    deps.log.warn(
      { code, conversationId: conversation.conversationId },
      'could not ask for a new sign-in',
    );
    return 'failed';
  }
}

/**
 * Asks each conversation where the user watches someone to have them sign in again. A
 * conversation Teams no longer has is settled like a failed alert (cleaned up, watchers told); a
 * lost channel thread's watches move to the channel, which is then asked instead. Resolves to the
 * watches removed with lost conversations.
 */
export async function askConversationsToSignIn(
  deps: LostConversationDeps,
  event: SignInRequiredEvent,
): Promise<Watch[]> {
  const asked = new Set<string>();
  const removed: Watch[] = [];
  for (const conversationId of event.conversationIds) {
    if (asked.has(conversationId)) continue;
    const conversation = await getConversationReference(deps.db, conversationId);
    if (!conversation) continue;
    asked.add(conversationId);
    if ((await ask(deps, conversation)) !== 'gone') continue;
    removed.push(...(await settleLostConversation(deps, conversationId)));
    const channelId = threadBaseId(conversationId);
    if (channelId === conversationId || asked.has(channelId)) continue;
    const channel = await getConversationReference(deps.db, channelId);
    if (!channel) continue;
    asked.add(channelId);
    await ask(deps, channel);
  }
  return removed;
}
