import type { Watch } from '../../watch/watch-service';
import type { CommandTurn } from '../bot-deps';
import { describeOptions } from '../command-text';
import { presenceLabel } from '../cards/presence-labels';
import type { WatchingCardData, WatchingPerson } from '../cards/watching-card';
import { turnConversation } from '../conversation-scope';
import { directoryPerson } from '../person-resolver';
import { UNNAMED_PERSON } from '../../alerts/presence-words';
import { presenceNow } from './presence-now';

/** A row already unwatched from the card, shown as stopped. */
export interface StoppedRow {
  readonly targetId: string;
  readonly name: string;
}

async function displayNames(
  turn: CommandTurn,
  token: string | undefined,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!token) return names;
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const person = await directoryPerson(turn.deps.graph, token, id).catch(() => undefined);
      if (person) names.set(id.toLowerCase(), person.name);
    }),
  );
  return names;
}

function addedBy(turn: CommandTurn, watch: Watch, names: Map<string, string>): string {
  const self = turn.user.aadObjectId?.toLowerCase();
  if (watch.watcherId === self) return 'added by you';
  return `added by ${names.get(watch.watcherId) ?? 'a colleague'}`;
}

/** The oldest watch of each person (a channel can watch someone from several posts). */
function onePerPerson(watches: readonly Watch[]): Watch[] {
  const byPerson = new Map<string, Watch>();
  for (const watch of watches) {
    if (!byPerson.has(watch.targetId)) byPerson.set(watch.targetId, watch);
  }
  return [...byPerson.values()];
}

/**
 * The `/watching` card's data for this conversation (in a channel, the whole channel, one row a
 * person): live presence and names with the user's token, last-known presence without one;
 * `stopped` rows are kept at the end, marked stopped.
 */
export async function watchingCardData(
  turn: CommandTurn,
  token: string | undefined,
  stopped: readonly StoppedRow[] = [],
): Promise<WatchingCardData> {
  const watches = onePerPerson(await turn.deps.watches.listHere(turnConversation(turn)));
  const ids = watches.flatMap((w) => [w.targetId, w.watcherId]);
  const [names, states] = await Promise.all([
    displayNames(turn, token, ids),
    presenceNow(
      turn,
      token,
      watches.map((w) => w.targetId),
    ),
  ]);
  const rows: WatchingPerson[] = watches.map((watch) => {
    const state = states.get(watch.targetId);
    return {
      targetId: watch.targetId,
      name: names.get(watch.targetId) ?? watch.targetName ?? UNNAMED_PERSON,
      detail: `${addedBy(turn, watch, names)} · ${describeOptions(watch)}`,
      stopped: false,
      ...presenceLabel(
        state?.availability ?? 'PresenceUnknown',
        state?.activity ?? 'PresenceUnknown',
      ),
    };
  });
  const stoppedRows: WatchingPerson[] = stopped.map((row) => ({
    targetId: row.targetId,
    name: row.name,
    detail: 'no longer watched',
    stopped: true,
    availabilityText: '',
    activityText: '',
    color: 'Default',
  }));
  return {
    title: watches.length > 0 ? `Watched here (${watches.length})` : 'Watched here',
    people: [...rows, ...stoppedRows],
  };
}
