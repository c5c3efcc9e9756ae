import type { TurnContext } from 'botbuilder';
import { isAppError } from '../../errors/app-error';
import { removeWatch } from '../../store/watches';
import type { CommandRequest, CommandTurn } from '../bot-deps';
import { cardAttachment, renderCard } from '../cards/render-card';
import { WATCHING_TEMPLATE } from '../cards/watching-card';
import { tokenIfSignedIn, withUserToken } from '../sign-in-gate';
import { watchingCardData } from './watching-card-data';

/** `/watching`: the card of who this conversation watches, with Unwatch buttons. */
export async function runWatchingCommand(
  turn: CommandTurn,
  request: CommandRequest,
): Promise<void> {
  await withUserToken(turn, request, async (token) => {
    const data = await watchingCardData(turn, token);
    await turn.context.sendActivity({ attachments: [cardAttachment(WATCHING_TEMPLATE, data)] });
  });
}

/** The Unwatch button's data. */
export interface UnwatchActionData {
  targetId?: unknown;
  name?: unknown;
}

/**
 * The Unwatch button (Action.Execute): removes the watch and returns the card to show in its place,
 * with that row marked stopped. Works without a token (last-known presence, ids as names).
 */
export async function runUnwatchAction(
  turn: CommandTurn,
  data: UnwatchActionData,
): Promise<Record<string, unknown>> {
  const targetId = typeof data.targetId === 'string' ? data.targetId : '';
  const name = typeof data.name === 'string' && data.name ? data.name : targetId;
  const conversationId = (turn.context as TurnContext).activity.conversation.id;
  const removed = targetId ? await removeWatch(turn.deps.db, conversationId, targetId) : false;
  if (removed) turn.deps.onWatchesChanged(turn.user.tenantId);
  const token = await tokenIfSignedIn(turn).catch((error: unknown) => {
    if (isAppError(error)) return undefined;
    throw error;
  });
  const stopped = targetId ? [{ targetId, name }] : [];
  return renderCard(WATCHING_TEMPLATE, await watchingCardData(turn, token, stopped));
}
