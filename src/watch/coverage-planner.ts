import { AppError } from '../errors/app-error';
import type { CoveragePlan, CoveragePlanInput, WatchGraph } from './coverage-plan-types';
import { CoverageState } from './coverage-state';
import { coverByFreeingSlot, pickCoverer, type CandidateIndex } from './coverer-choice';

/**
 * Plans which available watchers' subscriptions cover which watched people: each person by up to
 * `redundancy` of their own watchers, at most `maxIdsPerSubscription` ids each, keeping still-valid
 * current assignments. Pure and deterministic (independent of Map and Set insertion order).
 */
export function planCoverage(input: CoveragePlanInput): CoveragePlan {
  assertLimits(input);
  const available = availableWatchers(input);
  const index = candidateIndex(input.watchers, available);
  const state = new CoverageState(available, input.maxIdsPerSubscription);
  keepCurrentAssignments(state, input, available);
  const targets = watchedTargets(input.watchers, index);
  for (let level = 1; level <= input.redundancy; level += 1) {
    fillToLevel(state, index, targets, level);
  }
  return describePlan(state, targets);
}

/**
 * Refuses (AppError WATCH_LIMIT_EXCEEDED) a request by `watcherId` to watch `newTargets` when some
 * requested person, or someone covered before, would be left uncovered because the watchers who
 * could cover them have no room. Returns the plan with the request applied otherwise.
 */
export function checkWatchRequest(
  input: CoveragePlanInput,
  watcherId: string,
  newTargets: Iterable<string>,
): CoveragePlan {
  const requested = new Set(newTargets);
  const watchers = new Map(input.watchers);
  const watched = new Set([...(input.watchers.get(watcherId) ?? []), ...requested]);
  watchers.set(watcherId, watched);
  const before = planCoverage(input);
  const after = planCoverage({ ...input, watchers });
  const available = new Set(availableWatchers({ ...input, watchers }));
  const blocked = [...after.uncovered].filter(
    (target) =>
      (requested.has(target) || !before.uncovered.has(target)) &&
      hasAvailableWatcher(watchers, available, target),
  );
  if (blocked.length > 0 && available.has(watcherId)) {
    throw new AppError(
      'WATCH_LIMIT_EXCEEDED',
      `the subscription would need ${watched.size} ids (limit ${input.maxIdsPerSubscription}) ` +
        `and ${blocked.length} of the people have no other watcher with room`,
    );
  }
  return after;
}

function assertLimits(input: CoveragePlanInput): void {
  if (!Number.isInteger(input.redundancy) || input.redundancy < 1) {
    throw new AppError('CONFIG_INVALID', 'coverage redundancy must be a positive integer');
  }
  if (!Number.isInteger(input.maxIdsPerSubscription) || input.maxIdsPerSubscription < 1) {
    throw new AppError('CONFIG_INVALID', 'ids per subscription must be a positive integer');
  }
}

function availableWatchers(input: Pick<CoveragePlanInput, 'watchers' | 'unavailable'>): string[] {
  return [...input.watchers.keys()].filter((watcher) => !input.unavailable.has(watcher)).sort();
}

function candidateIndex(watchers: WatchGraph, available: readonly string[]): CandidateIndex {
  const index = new Map<string, string[]>();
  for (const watcher of available) {
    for (const target of watchers.get(watcher) ?? []) {
      const candidates = index.get(target);
      if (candidates) candidates.push(watcher);
      else index.set(target, [watcher]);
    }
  }
  return index;
}

function keepCurrentAssignments(
  state: CoverageState,
  input: CoveragePlanInput,
  available: readonly string[],
): void {
  for (const watcher of available) {
    const stillWatched = input.watchers.get(watcher);
    for (const target of [...(input.current.get(watcher) ?? [])].sort()) {
      const valid = stillWatched?.has(target) ?? false;
      if (valid && state.hasRoom(watcher) && state.coverCount(target) < input.redundancy) {
        state.assign(watcher, target);
      }
    }
  }
}

/** Every watched person, the ones with fewest available watchers first, then by id. */
function watchedTargets(watchers: WatchGraph, index: CandidateIndex): string[] {
  const targets = new Set<string>();
  for (const watched of watchers.values()) for (const target of watched) targets.add(target);
  const choices = (target: string): number => index.get(target)?.length ?? 0;
  return [...targets].sort((a, b) => choices(a) - choices(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function fillToLevel(
  state: CoverageState,
  index: CandidateIndex,
  targets: readonly string[],
  level: number,
): void {
  const stuck = new Set<string>();
  for (const target of targets) {
    if (state.coverCount(target) >= level) continue;
    const coverer = pickCoverer(state, index.get(target) ?? [], target);
    if (coverer !== undefined) state.assign(coverer, target);
    else if (level === 1) coverByFreeingSlot(state, index, target, stuck);
  }
}

function describePlan(state: CoverageState, targets: readonly string[]): CoveragePlan {
  const coverage = new Map<string, number>();
  const uncovered = new Set<string>();
  for (const target of [...targets].sort()) {
    const count = state.coverCount(target);
    coverage.set(target, count);
    if (count === 0) uncovered.add(target);
  }
  return { assignments: state.assignments(), uncovered, coverage };
}

function hasAvailableWatcher(
  watchers: WatchGraph,
  available: ReadonlySet<string>,
  target: string,
): boolean {
  for (const [watcher, watched] of watchers) {
    if (available.has(watcher) && watched.has(target)) return true;
  }
  return false;
}
