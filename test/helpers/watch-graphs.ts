import fc from 'fast-check';
import type { CoveragePlan, CoveragePlanInput } from '../../src/watch/coverage-plan-types';
import { seededRandom } from '../../tools/simulator/seeded-random';

/** A watch graph built from `[watcher, target]` pairs; watchers with no pairs are left out. */
export function graphOf(pairs: Iterable<readonly [string, string]>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [watcher, target] of pairs) {
    const watched = graph.get(watcher) ?? new Set<string>();
    watched.add(target);
    graph.set(watcher, watched);
  }
  return graph;
}

/** A plan input with default redundancy 2, 650 ids, nobody unavailable and no current coverage. */
export function planInput(
  watchers: Map<string, Set<string>>,
  overrides: Partial<CoveragePlanInput> = {},
): CoveragePlanInput {
  return {
    watchers,
    current: new Map(),
    unavailable: new Set(),
    redundancy: 2,
    maxIdsPerSubscription: 650,
    ...overrides,
  };
}

/** A plan as plain sorted arrays, for deep equality regardless of insertion order. */
export function canonicalPlan(plan: CoveragePlan): unknown {
  return {
    assignments: [...plan.assignments].map(([w, set]) => [w, [...set].sort()]).sort(),
    uncovered: [...plan.uncovered].sort(),
    coverage: [...plan.coverage].sort(),
  };
}

/** Small random plan inputs: up to 8 watchers, 12 people, a stale current coverage, tight or loose limits. */
export function arbitraryPlanInput(limits: { maxIds: fc.Arbitrary<number> }) {
  const watcher = fc.integer({ min: 0, max: 7 }).map((n) => `w${n}`);
  const target = fc.integer({ min: 0, max: 11 }).map((n) => `p${n}`);
  return fc.record({
    pairs: fc.array(fc.tuple(watcher, target), { minLength: 1, maxLength: 40 }),
    currentPairs: fc.array(fc.tuple(watcher, target), { maxLength: 30 }),
    unavailable: fc.uniqueArray(watcher, { maxLength: 3 }),
    redundancy: fc.integer({ min: 1, max: 3 }),
    maxIds: limits.maxIds,
  });
}

/** A tenant-sized watch graph: each watcher watches 1–20 people, popularity heavily skewed. */
export function skewedWatchGraph(
  watcherCount: number,
  peopleCount: number,
  seed: number,
): Map<string, Set<string>> {
  const random = seededRandom(seed);
  const graph = new Map<string, Set<string>>();
  for (let w = 0; w < watcherCount; w += 1) {
    const watched = new Set<string>();
    const wanted = 1 + Math.floor(random() ** 2 * 20);
    while (watched.size < wanted) watched.add(`p${Math.floor(random() ** 3 * peopleCount)}`);
    graph.set(`w${w}`, watched);
  }
  return graph;
}
