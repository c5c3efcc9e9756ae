import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  COMMON_PRESENCES,
  type PresenceState,
} from '../../tools/simulator/presence/presence-values';
import type { RandomSource } from '../../tools/simulator/seeded-random';
import type { KeeperHarness } from '../watch/keeper-harness';

/** One presence change the scenario makes: when (simulated ms after the start), whom, to what. */
export interface PlannedChange {
  readonly at: number;
  readonly person: string;
  readonly state: PresenceState;
}

/** A person's presence as Graph had it from `at` (simulated ms) on. */
export interface HistoryEntry {
  readonly at: number;
  readonly key: string;
}

const STATES: readonly PresenceState[] = Object.values(COMMON_PRESENCES);

const personId = (n: number): string => `30000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const watcherId = (n: number): string => `40000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** How a presence is compared: availability and activity, case-insensitively. */
export function presenceKey(state: PresenceState): string {
  return `${state.availability}/${state.activity}`.toLowerCase();
}

/**
 * Writes an organisation of `people` watched people and `watchers` watchers, and returns the ids.
 * Watchers come in pairs; each pair watches its share of the people, so every person is covered
 * by two subscriptions (and none holds more than Graph's 650 ids).
 */
export async function writeOrganisation(
  dir: string,
  people: number,
  watchers: number,
): Promise<{ file: string; people: string[]; watchers: string[] }> {
  const user = (id: string, name: string) => ({
    id,
    displayName: name,
    mail: `${name.replace(/\s/g, '').toLowerCase()}@example.com`,
  });
  const peopleIds = Array.from({ length: people }, (_, n) => personId(n));
  const watcherIds = Array.from({ length: watchers }, (_, n) => watcherId(n));
  const users = [
    ...peopleIds.map((id, n) => user(id, `Person ${n}`)),
    ...watcherIds.map((id, n) => user(id, `Watcher ${n}`)),
  ];
  const file = path.join(dir, 'organisation.json');
  await writeFile(file, JSON.stringify({ users }));
  return { file, people: peopleIds, watchers: watcherIds };
}

/** Stores the watches: watcher pair k watches the k-th share of the people, in chat `chat-<w>`. */
export async function watchInPairs(
  h: KeeperHarness,
  people: readonly string[],
  watchers: readonly string[],
): Promise<void> {
  const pairs = watchers.length / 2;
  const share = Math.ceil(people.length / pairs);
  for (const [w, watcher] of watchers.entries()) {
    const pair = Math.floor(w / 2);
    for (const person of people.slice(pair * share, (pair + 1) * share)) {
      await h.watch(`chat-${w}`, watcher, person);
    }
  }
}

/**
 * `count` changes of a Poisson process in which each person changes on average every
 * `meanIntervalMs` (simulated), each to a common presence other than their current one.
 */
export function planChanges(
  people: readonly string[],
  count: number,
  meanIntervalMs: number,
  random: RandomSource,
): PlannedChange[] {
  const current = new Map(people.map((p) => [p, presenceKey(COMMON_PRESENCES.available)]));
  const ratePerMs = people.length / meanIntervalMs;
  const changes: PlannedChange[] = [];
  let at = 0;
  for (let i = 0; i < count; i += 1) {
    at += -Math.log(1 - random()) / ratePerMs;
    const person = people[Math.floor(random() * people.length)] as string;
    const choices = STATES.filter((s) => presenceKey(s) !== current.get(person));
    const state = choices[Math.floor(random() * choices.length)] as PresenceState;
    current.set(person, presenceKey(state));
    changes.push({ at: Math.round(at), person, state });
  }
  return changes;
}

/**
 * Makes the planned changes in the simulator at their simulated times (from `start`) and returns
 * every person's history, starting with the Available everyone has from the beginning.
 */
export async function playChanges(
  h: KeeperHarness,
  people: readonly string[],
  changes: readonly PlannedChange[],
  start: number,
): Promise<Map<string, HistoryEntry[]>> {
  const initial = presenceKey(COMMON_PRESENCES.available);
  const history = new Map(people.map((p) => [p, [{ at: 0, key: initial }]]));
  for (const change of changes) {
    while (h.sim.clock.now() < start + change.at) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    h.sim.setPresence(change.person, change.state);
    history.get(change.person)?.push({ at: h.sim.clock.now(), key: presenceKey(change.state) });
  }
  return history;
}
