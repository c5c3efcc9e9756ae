import { TurnState } from '@microsoft/teams-ai';
import type { ConversationReference, TurnContext } from 'botbuilder';
import { isAppError } from '../errors/app-error';
import type { PendingSignIn } from '../store/pending-sign-ins';
import type { BotDeps, CommandTurn } from './bot-deps';
import { finishSignIn } from './sign-in-handlers';

/** Runs `logic` in a stored conversation outside a turn (CloudAdapter.continueConversationAsync). */
export type ContinueConversation = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

/**
 * After an authorization-code sign-in: in the conversation the sign-in card was sent to, tells the
 * user they are signed in and runs the command that waited (conversation state loaded and saved as
 * in a turn), proactively.
 */
export function createSignInResumer(
  deps: BotDeps,
  continueConversation: ContinueConversation,
): (signIn: PendingSignIn) => Promise<void> {
  const logger = deps.logger.child({ module: 'sign-in-resume' });
  return (signIn) =>
    continueConversation(signIn.reference, async (context) => {
      const state = new TurnState();
      await state.load(context, deps.storage);
      const turn: CommandTurn = {
        context,
        state,
        user: {
          tenantId: signIn.tenantId,
          aadObjectId: signIn.aadObjectId,
          channelUserId: signIn.channelUserId,
          channelId: signIn.reference.channelId ?? '',
          name: signIn.reference.user?.name ?? '',
        },
        deps,
        logger,
        now: deps.now ?? Date.now,
      };
      try {
        await finishSignIn(turn, 'auth-code');
      } catch (error) {
        logger.error(
          { err: { code: isAppError(error) ? error.code : 'unexpected' } },
          'resume failed',
        );
        await context.sendActivity('Sorry, something went wrong. Please try your command again.');
      }
      await state.save(context, deps.storage);
    });
}
