import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CoveragePlan, CoveragePlanInput } from '../../src/watch/coverage-plan-types';
import { planCoverage } from '../../src/watch/coverage-planner';
import { arbitraryPlanInput, canonicalPlan, graphOf, planInput } from '../helpers/watch-graphs';

const runs = { seed: 20240611, numRuns: 300 };
const tight = arbitraryPlanInput({ maxIds: fc.integer({ min: 1, max: 5 }) });
const loose = arbitraryPlanInput({ maxIds: fc.constant(650) });
type Drawn = {
  pairs: [string, string][];
  currentPairs: [string, string][];
  unavailable: string[];
  redundancy: number;
  maxIds: number;
};

function inputOf(drawn: Drawn, pairs = drawn.pairs): CoveragePlanInput {
  return planInput(graphOf(pairs), {
    unavailable: new Set(drawn.unavailable),
    redundancy: drawn.redundancy,
    maxIdsPerSubscription: drawn.maxIds,
  });
}

function replan(input: CoveragePlanInput, previous: CoveragePlan, pairs: [string, string][]) {
  return planCoverage({ ...input, watchers: graphOf(pairs), current: previous.assignments });
}

function assertPlanIsValid(input: CoveragePlanInput, plan: CoveragePlan): void {
  const counted = new Map<string, number>();
  for (const [watcher, covered] of plan.assignments) {
    assert.ok(!input.unavailable.has(watcher), `${watcher} is unavailable`);
    assert.ok(covered.size <= input.maxIdsPerSubscription, `${watcher} is over the limit`);
    for (const target of covered) {
      assert.ok(input.watchers.get(watcher)?.has(target), `${watcher} does not watch ${target}`);
      counted.set(target, (counted.get(target) ?? 0) + 1);
    }
  }
  for (const [target, count] of plan.coverage) {
    assert.equal(count, counted.get(target) ?? 0, `coverage of ${target}`);
    assert.ok(count <= input.redundancy, `${target} covered ${count} times`);
    assert.equal(plan.uncovered.has(target), count === 0);
    const idle = [...plan.assignments].filter(
      ([w, set]) => input.watchers.get(w)?.has(target) && !set.has(target),
    );
    if (count < input.redundancy) {
      for (const [w, set] of idle)
        assert.equal(set.size, input.maxIdsPerSubscription, `${w} has room for ${target}`);
    }
  }
}

function sameSetsExcept(
  before: CoveragePlan,
  after: CoveragePlan,
  watcher: string,
  target?: string,
) {
  for (const [other, covered] of before.assignments) {
    if (other === watcher) continue;
    const strip = (set: Set<string> | undefined) =>
      [...(set ?? [])].filter((t) => t !== target).sort();
    assert.deepEqual(strip(after.assignments.get(other)), strip(covered), `${other} changed`);
  }
}

describe('planCoverage properties', () => {
  it('only assigns watchers to people they watch, within the limit and redundancy, leaving no idle room', () => {
    fc.assert(
      fc.property(tight, (drawn) => {
        const input = inputOf(drawn);
        const plan = planCoverage(input);
        assertPlanIsValid(input, plan);
        const watched = new Set(drawn.pairs.map(([, target]) => target));
        assert.deepEqual([...plan.coverage.keys()].sort(), [...watched].sort());
      }),
      runs,
    );
  });

  it('is deterministic whatever the insertion order, and replanning from itself changes nothing', () => {
    fc.assert(
      fc.property(tight, (drawn) => {
        const plan = planCoverage(inputOf(drawn));
        const reversed = planCoverage(inputOf(drawn, [...drawn.pairs].reverse()));
        assert.deepEqual(canonicalPlan(reversed), canonicalPlan(plan));
        assert.deepEqual(
          canonicalPlan(replan(inputOf(drawn), plan, drawn.pairs)),
          canonicalPlan(plan),
        );
      }),
      runs,
    );
  });

  it('trims a stale or conflicting current coverage into a valid plan, whatever its order', () => {
    fc.assert(
      fc.property(tight, (drawn) => {
        const stale = [...drawn.currentPairs, ...drawn.pairs];
        const input = { ...inputOf(drawn), current: graphOf(stale) };
        const plan = planCoverage(input);
        assertPlanIsValid(input, plan);
        const reversed = planCoverage({ ...input, current: graphOf(stale.reverse()) });
        assert.deepEqual(canonicalPlan(reversed), canonicalPlan(plan));
      }),
      runs,
    );
  });

  it('adding a watch changes no other watcher’s set', () => {
    fc.assert(
      fc.property(loose, fc.nat(7), fc.nat(13), (drawn, w, t) => {
        const input = inputOf(drawn);
        const before = planCoverage(input);
        const added: [string, string] = [`w${w}`, `p${t}`];
        const after = replan(input, before, [...drawn.pairs, added]);
        sameSetsExcept(before, after, added[0]);
      }),
      runs,
    );
  });

  it('removing a watch changes no other watcher’s set except to take over that person', () => {
    fc.assert(
      fc.property(loose, fc.nat(), (drawn, pick) => {
        const input = inputOf(drawn);
        const before = planCoverage(input);
        const removed = drawn.pairs[pick % drawn.pairs.length] as [string, string];
        const remaining = drawn.pairs.filter(([w, t]) => w !== removed[0] || t !== removed[1]);
        const after = replan(input, before, remaining);
        sameSetsExcept(before, after, removed[0], removed[1]);
        assertPlanIsValid({ ...input, watchers: graphOf(remaining) }, after);
      }),
      runs,
    );
  });

  it('under tight limits, adding a watch never uncovers anyone who was covered', () => {
    fc.assert(
      fc.property(tight, fc.nat(7), fc.nat(13), (drawn, w, t) => {
        const input = inputOf(drawn);
        const before = planCoverage(input);
        const pairs: [string, string][] = [...drawn.pairs, [`w${w}`, `p${t}`]];
        const after = replan(input, before, pairs);
        assertPlanIsValid({ ...input, watchers: graphOf(pairs) }, after);
        for (const [target, count] of before.coverage) {
          if (count > 0) assert.ok(!after.uncovered.has(target), `${target} lost its coverage`);
        }
      }),
      runs,
    );
  });

  it('a watcher who fails hands their people to others without reshuffling the rest', () => {
    fc.assert(
      fc.property(loose, fc.nat(7), (drawn, w) => {
        const input = inputOf(drawn);
        const before = planCoverage(input);
        const failed = `w${w}`;
        const unavailable = new Set([...input.unavailable, failed]);
        const after = planCoverage({ ...input, unavailable, current: before.assignments });
        assertPlanIsValid({ ...input, unavailable }, after);
        assert.equal(after.assignments.has(failed), false);
        const handedOver = before.assignments.get(failed) ?? new Set<string>();
        for (const [other, covered] of before.assignments) {
          if (other === failed) continue;
          const now = after.assignments.get(other) ?? new Set<string>();
          for (const target of covered) assert.ok(now.has(target), `${other} lost ${target}`);
          for (const target of now) assert.ok(covered.has(target) || handedOver.has(target));
        }
      }),
      runs,
    );
  });
});
