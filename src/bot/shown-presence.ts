import type { GraphPresence } from '../graph';
import { applyPresenceObservation } from '../store/presence-state';
import { rebaselineWatches } from '../store/watches';
import type { CommandTurn } from './bot-deps';

/**
 * Records presences read live and shown in this conversation: they become the last-known presence
 * and the baseline of the conversation's watches of those people, so no alert repeats what the
 * reply showed (other conversations still learn of a real change). The baseline moves first, so
 * the fan-out never sees the change without it.
 */
export async function recordShownPresence(
  turn: CommandTurn,
  presences: readonly GraphPresence[],
): Promise<void> {
  const shownAt = turn.now();
  const conversationId = turn.context.activity.conversation.id;
  await rebaselineWatches(
    turn.deps.db,
    conversationId,
    presences.map((presence) => presence.id),
    shownAt,
  );
  for (const presence of presences) {
    await applyPresenceObservation(turn.deps.db, {
      tenantId: turn.user.tenantId,
      userId: presence.id,
      availability: presence.availability,
      activity: presence.activity,
      observedAt: shownAt,
      sequence: presence.sequenceNumber,
      source: 'resync',
    });
  }
}
