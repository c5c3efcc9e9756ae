import type { SignInRequiredEvent } from '../watch/keeper-context';
import { getConversationReference } from '../store/conversation-references';
import type { Watch } from '../store/watches';
import { settleLostConversation, type LostConversationDeps } from './lost-conversation';
import { toTeamsSendError } from './teams-send-error';

/** What asking conversations for a new sign-in needs. */
export interface SignInRequestDeps extends LostConversationDeps {
  /** Watches were removed because their conversation is gone: the keeper may shrink. */
  readonly onWatchesRemoved: (removed: readonly Watch[]) => void;
}

const SIGN_IN_AGAIN_TEXT =
  'I can no longer read presence with the sign-in of someone who watches people here, so some ' +
  'alerts may stop. Whoever added them: send me `/watching` and sign in again when I ask.';

/**
 * Asks each conversation where the user watches someone to have them sign in again. A
 * conversation Teams no longer has is settled like a failed alert (cleaned up, watchers told).
 */
export async function askConversationsToSignIn(
  deps: SignInRequestDeps,
  event: SignInRequiredEvent,
): Promise<void> {
  for (const conversationId of event.conversationIds) {
    const conversation = await getConversationReference(deps.db, conversationId);
    if (!conversation) continue;
    try {
      await deps.send(conversation.reference, { type: 'message', text: SIGN_IN_AGAIN_TEXT });
    } catch (error) {
      const { code } = toTeamsSendError(error, deps.now());
      if (code !== 'TEAMS_CONVERSATION_GONE') {
        deps.log.warn({ code, conversationId }, 'could not ask for a new sign-in');
        continue;
      }
      deps.onWatchesRemoved(await settleLostConversation(deps, conversationId));
    }
  }
}
