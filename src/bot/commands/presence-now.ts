import { isAppError } from '../../errors/app-error';
import type { GraphPresence } from '../../graph';
import { getPresenceStates } from '../../store/presence-state';
import type { CommandTurn } from '../bot-deps';
import { turnConversation } from '../conversation-scope';

/** A person's presence as a card shows it. */
export type ShownPresence = Pick<GraphPresence, 'availability' | 'activity'>;

async function livePresences(
  turn: CommandTurn,
  token: string,
  ids: readonly string[],
): Promise<GraphPresence[] | undefined> {
  try {
    return await turn.deps.graph.getPresencesByUserId(token, [...ids]);
  } catch (error) {
    if (isAppError(error, 'GRAPH_THROTTLED') || isAppError(error, 'GRAPH_UNAVAILABLE')) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The presence of `ids` by lower-case id: read now with the user's token and recorded as what this
 * conversation was shown; the last-known presence without a token, or while Graph throttles or is
 * down (a watch or an unwatch already done is still confirmed).
 */
export async function presenceNow(
  turn: CommandTurn,
  token: string | undefined,
  ids: readonly string[],
): Promise<Map<string, ShownPresence>> {
  if (ids.length === 0) return new Map();
  const live = token ? await livePresences(turn, token, ids) : undefined;
  if (!live) return getPresenceStates(turn.deps.db, turn.user.tenantId, [...ids]);
  await turn.deps.watches.recordShownPresence(turnConversation(turn), live);
  return new Map(live.map((p) => [p.id.toLowerCase(), p]));
}
