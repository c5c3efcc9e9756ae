import { coalesceAlerts } from '../../alerts/alert-coalescing';
import { renderAlertCard } from '../../alerts/alert-card';
import { conversationAlertsById } from '../../store/conversation-alerts';
import { normalizeEntraId } from '../../store/entra-ids';
import type { CommandTurn } from '../bot-deps';
import { adaptiveCard, renderCard } from '../cards/render-card';
import { turnConversation } from '../conversation-scope';
import { MAX_QUERY_CHARS } from '../user-text';
import { displayNameOf, optionalToken } from './display-name';

/** What an alert card's "Stop watching" button sends. */
export interface StopWatchingData {
  targetId?: unknown;
  /** The outbox alerts the card shows, comma-joined. */
  alertIds?: unknown;
}

const MAX_CARD_ALERTS = 100;

const NO_LONGER_WATCHED_TEMPLATE = adaptiveCard([
  {
    type: 'RichTextBlock',
    inlines: [
      { type: 'TextRun', text: '${name}', weight: 'Bolder' },
      { type: 'TextRun', text: ' is no longer watched here.' },
    ],
  },
]);

/** The alert ids a card carried, as numbers (at most 100; anything else is ignored). */
export function alertIdsOf(value: unknown): number[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .slice(0, MAX_CARD_ALERTS)
    .map(Number)
    .filter((id) => Number.isSafeInteger(id) && id > 0);
}

async function stopWatching(turn: CommandTurn, targetId: string): Promise<void> {
  if (!targetId || targetId.length > MAX_QUERY_CHARS) return;
  await turn.deps.watches.unwatch(turnConversation(turn), [{ id: targetId }]);
}

/**
 * "Stop watching" on an alert card: ends the watch of that person in this conversation and returns
 * the same alert, redrawn from the stored alerts, with every person no longer watched here marked
 * so by name. When the alerts are gone (retention), a short card says so, named from the directory.
 */
export async function runStopWatchingAction(
  turn: CommandTurn,
  data: StopWatchingData,
): Promise<Record<string, unknown>> {
  const targetId = typeof data.targetId === 'string' ? normalizeEntraId(data.targetId) : '';
  const conversationId = turn.context.activity.conversation.id;
  await stopWatching(turn, targetId);
  const alerts = await conversationAlertsById(
    turn.deps.db,
    conversationId,
    alertIdsOf(data.alertIds),
  );
  const [card] = coalesceAlerts(alerts, Math.max(1, alerts.length)).cards;
  if (!card) {
    const name = await displayNameOf(turn, await optionalToken(turn), targetId);
    return renderCard(NO_LONGER_WATCHED_TEMPLATE, { name });
  }
  const watched = new Set(
    (await turn.deps.watches.listHere(turnConversation(turn))).map((w) =>
      normalizeEntraId(w.targetId),
    ),
  );
  const stopped = new Set(
    card.changes.map((c) => normalizeEntraId(c.targetId)).filter((id) => !watched.has(id)),
  );
  return renderAlertCard(card.changes, { alertIds: card.alertIds, stopped });
}
