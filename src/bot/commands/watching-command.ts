import { normalizeEntraId } from '../../store/entra-ids';
import type { CommandRequest, CommandTurn } from '../bot-deps';
import { cardAttachment, renderCard } from '../cards/render-card';
import { turnConversation } from '../conversation-scope';
import { WATCHING_TEMPLATE } from '../cards/watching-card';
import { withUserToken } from '../sign-in-gate';
import { MAX_QUERY_CHARS } from '../user-text';
import { displayNameOf, optionalToken } from './display-name';
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

/** The Unwatch button's data (a `name` it may carry is ignored: names are looked up). */
export interface UnwatchActionData {
  targetId?: unknown;
}

/**
 * The Unwatch button (Action.Execute): removes the watch and returns the card to show in its place,
 * with that row marked stopped and named from the directory. Without a token it shows last-known
 * presence and calls people it cannot name "This person".
 */
export async function runUnwatchAction(
  turn: CommandTurn,
  data: UnwatchActionData,
): Promise<Record<string, unknown>> {
  const raw = typeof data.targetId === 'string' ? data.targetId : '';
  const targetId = raw.length <= MAX_QUERY_CHARS ? normalizeEntraId(raw) : '';
  const removed =
    targetId !== '' &&
    (await turn.deps.watches.unwatch(turnConversation(turn), [{ id: targetId }])).length > 0;
  const token = await optionalToken(turn);
  const stopped = removed ? [{ targetId, name: await displayNameOf(turn, token, targetId) }] : [];
  return renderCard(WATCHING_TEMPLATE, await watchingCardData(turn, token, stopped));
}
