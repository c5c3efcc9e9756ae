import type { CoverageState } from './coverage-state';

/** Target id → the available watchers who watch that target, sorted by id. */
export type CandidateIndex = ReadonlyMap<string, readonly string[]>;

/**
 * The best new coverer for `target`: a candidate with room who does not cover it yet,
 * preferring watchers who already have a subscription, then the least loaded, then the smallest id.
 */
export function pickCoverer(
  state: CoverageState,
  candidates: readonly string[],
  target: string,
  excluded?: string,
): string | undefined {
  let best: string | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const watcher of candidates) {
    if (watcher === excluded || !state.hasRoom(watcher) || state.covers(watcher, target)) continue;
    const load = state.load(watcher);
    const rank = load === 0 ? Number.MAX_SAFE_INTEGER : load;
    if (rank < bestRank) {
      best = watcher;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * Makes room on a full candidate of the uncovered `target` and assigns it there: first by moving
 * one of that watcher's people to another of their watchers with room, else by dropping a person
 * who is covered twice. Watchers found with nothing to give are added to `stuck` and skipped later.
 */
export function coverByFreeingSlot(
  state: CoverageState,
  index: CandidateIndex,
  target: string,
  stuck: Set<string>,
): boolean {
  for (const watcher of index.get(target) ?? []) {
    if (stuck.has(watcher) || state.covers(watcher, target)) continue;
    if (freeSlotOn(state, index, watcher)) {
      state.assign(watcher, target);
      return true;
    }
    stuck.add(watcher);
  }
  return false;
}

function freeSlotOn(state: CoverageState, index: CandidateIndex, watcher: string): boolean {
  const held = state.sortedTargetsOf(watcher);
  for (const person of held) {
    const replacement = pickCoverer(state, index.get(person) ?? [], person, watcher);
    if (replacement !== undefined) {
      state.unassign(watcher, person);
      state.assign(replacement, person);
      return true;
    }
  }
  const shared = held.find((person) => state.coverCount(person) > 1);
  if (shared === undefined) return false;
  state.unassign(watcher, shared);
  return true;
}
