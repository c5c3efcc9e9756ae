import assert from 'node:assert/strict';
import { isAppError } from '../../src/errors/app-error';
import { checkWatchRequest, planCoverage } from '../../src/watch/coverage-planner';
import { canonicalPlan, graphOf, planInput, skewedWatchGraph } from '../helpers/watch-graphs';

const ids = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, n) => `${prefix}${String(n).padStart(4, '0')}`);
const coverersOf = (assignments: Map<string, Set<string>>, target: string): string[] =>
  [...assignments].filter(([, set]) => set.has(target)).map(([watcher]) => watcher);
const expectWatchLimit = (run: () => unknown): void =>
  assert.throws(run, (error: unknown) => isAppError(error, 'WATCH_LIMIT_EXCEEDED'));

describe('planCoverage', () => {
  it('covers a person watched by 200 watchers with exactly 2 subscriptions', () => {
    const watchers = ids('w', 200);
    const plan = planCoverage(planInput(graphOf(watchers.map((w) => [w, 'p'] as const))));
    assert.deepEqual(coverersOf(plan.assignments, 'p'), ['w0000', 'w0001']);
    assert.equal(plan.coverage.get('p'), 2);
    assert.equal([...plan.assignments.values()].filter((set) => set.size > 0).length, 2);
  });

  it('moves coverage to another watcher when a covering watcher stops watching', () => {
    const graph = graphOf(ids('w', 5).map((w) => [w, 'p'] as const));
    const first = planCoverage(planInput(graph));
    graph.get('w0000')?.delete('p');
    const second = planCoverage(planInput(graph, { current: first.assignments }));
    assert.deepEqual(coverersOf(second.assignments, 'p'), ['w0001', 'w0002']);
  });

  it('moves a failed watcher’s people to other watchers and keeps the rest', () => {
    const graph = graphOf([
      ['a', 'p'],
      ['b', 'p'],
      ['c', 'p'],
      ['a', 'q'],
      ['c', 'q'],
    ]);
    const first = planCoverage(planInput(graph, { redundancy: 1 }));
    assert.deepEqual([...(first.assignments.get('a') ?? [])], ['p', 'q']);
    const second = planCoverage(
      planInput(graph, { redundancy: 1, current: first.assignments, unavailable: new Set(['a']) }),
    );
    assert.equal(second.assignments.has('a'), false);
    assert.deepEqual(coverersOf(second.assignments, 'p'), ['c']);
    assert.deepEqual(coverersOf(second.assignments, 'q'), ['c']);
  });

  it('reports people whose every watcher is unavailable as uncovered', () => {
    const graph = graphOf([
      ['a', 'p'],
      ['b', 'p'],
      ['b', 'q'],
    ]);
    const plan = planCoverage(planInput(graph, { unavailable: new Set(['a', 'b']) }));
    assert.deepEqual([...plan.uncovered], ['p', 'q']);
    assert.deepEqual(
      [...plan.coverage],
      [
        ['p', 0],
        ['q', 0],
      ],
    );
    assert.equal(plan.assignments.size, 0);
  });

  it('prefers watchers who already have a subscription, then the least loaded', () => {
    const graph = graphOf([
      ['a', 'p1'],
      ['a', 'p2'],
      ['a', 's'],
      ['b', 'p3'],
      ['b', 's'],
      ['c', 's'],
    ]);
    const plan = planCoverage(planInput(graph, { redundancy: 1 }));
    assert.deepEqual(canonicalPlan(plan), {
      assignments: [
        ['a', ['p1', 'p2']],
        ['b', ['p3', 's']],
        ['c', []],
      ],
      uncovered: [],
      coverage: [
        ['p1', 1],
        ['p2', 1],
        ['p3', 1],
        ['s', 1],
      ],
    });
  });

  it('breaks ties between equally loaded watchers by id', () => {
    const graph = graphOf([
      ['b', 'p2'],
      ['b', 's'],
      ['a', 'p1'],
      ['a', 's'],
      ['c', 's'],
    ]);
    const plan = planCoverage(planInput(graph, { redundancy: 1 }));
    assert.deepEqual(coverersOf(plan.assignments, 's'), ['a']);
  });

  it('keeps valid current assignments even where another watcher would be preferred', () => {
    const graph = graphOf([
      ['a', 'p'],
      ['b', 'p'],
      ['c', 'p'],
    ]);
    const current = graphOf([
      ['c', 'p'],
      ['b', 'p'],
      ['a', 'gone'],
    ]);
    const plan = planCoverage(planInput(graph, { current }));
    assert.deepEqual(coverersOf(plan.assignments, 'p'), ['b', 'c']);
  });

  it('trims current coverage to the redundancy and the id limit', () => {
    const graph = graphOf([
      ['a', 'p'],
      ['b', 'p'],
      ['c', 'p'],
      ['c', 'q'],
      ['c', 's'],
    ]);
    const current = graphOf([
      ['a', 'p'],
      ['b', 'p'],
      ['c', 'p'],
      ['c', 'q'],
      ['c', 's'],
    ]);
    const plan = planCoverage(planInput(graph, { current, maxIdsPerSubscription: 2 }));
    assert.deepEqual(coverersOf(plan.assignments, 'p'), ['a', 'b']);
    assert.deepEqual([...(plan.assignments.get('c') ?? [])], ['q', 's']);
  });

  it('covers 650 people watched only by one user, and reports the 651st as uncovered', () => {
    const people = ids('p', 651);
    const full = planCoverage(planInput(graphOf(people.slice(0, 650).map((p) => ['w', p]))));
    assert.equal(full.assignments.get('w')?.size, 650);
    assert.equal(full.uncovered.size, 0);
    const over = planCoverage(planInput(graphOf(people.map((p) => ['w', p]))));
    assert.equal(over.assignments.get('w')?.size, 650);
    assert.deepEqual([...over.uncovered], ['p0650']);
  });

  it('moves a shared person off a full subscription to make room for someone only it can cover', () => {
    const people = ids('p', 650);
    const graph = graphOf([...people.map((p) => ['w', p] as const), ['x', 'p0000']]);
    const current = graphOf(people.map((p) => ['w', p] as const));
    graph.get('w')?.add('solo');
    const plan = planCoverage(planInput(graph, { current, redundancy: 1 }));
    assert.equal(plan.uncovered.size, 0);
    assert.deepEqual(coverersOf(plan.assignments, 'p0000'), ['x']);
    assert.equal(plan.assignments.get('w')?.has('solo'), true);
  });

  it('rejects a redundancy or id limit that is not a positive integer', () => {
    const graph = graphOf([['a', 'p']]);
    for (const overrides of [{ redundancy: 0 }, { maxIdsPerSubscription: 1.5 }]) {
      assert.throws(
        () => planCoverage(planInput(graph, overrides)),
        (error: unknown) => isAppError(error, 'CONFIG_INVALID'),
      );
    }
  });

  it('plans 5,000 watchers × 2,000 skewed people with full coverage, repeatably', () => {
    const graph = skewedWatchGraph(5000, 2000, 7);
    const plan = planCoverage(planInput(graph));
    const watchersOf = new Map<string, number>();
    for (const watched of graph.values()) {
      for (const p of watched) watchersOf.set(p, (watchersOf.get(p) ?? 0) + 1);
    }
    for (const [person, count] of watchersOf) {
      assert.equal(plan.coverage.get(person), Math.min(2, count), person);
    }
    const again = planCoverage(planInput(graph, { current: plan.assignments }));
    assert.deepEqual(canonicalPlan(again), canonicalPlan(plan));
  });
});

describe('checkWatchRequest', () => {
  const people = ids('p', 650);
  const fullWatcher = (): Map<string, Set<string>> => graphOf(people.map((p) => ['w', p]));

  it('accepts a request that brings the subscription to exactly 650 ids', () => {
    const graph = graphOf(people.slice(0, 649).map((p) => ['w', p]));
    const plan = checkWatchRequest(planInput(graph), 'w', ['p0649']);
    assert.equal(plan.assignments.get('w')?.size, 650);
  });

  it('refuses the 651st person when nobody else watching them has room', () => {
    const graph = fullWatcher();
    graph.set('x', new Set(ids('q', 650)));
    graph.get('x')?.add('new');
    expectWatchLimit(() => checkWatchRequest(planInput(graph), 'w', ['new']));
  });

  it('says how many ids the subscription would need without naming anyone', () => {
    try {
      checkWatchRequest(planInput(fullWatcher()), 'w', ['new']);
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(isAppError(error, 'WATCH_LIMIT_EXCEEDED'));
      assert.match(error.message, /would need 651 ids \(limit 650\)/);
      assert.doesNotMatch(error.message, /new|p0/);
    }
  });

  it('accepts the 651st person when another watcher of theirs has room', () => {
    const graph = fullWatcher();
    graph.set('x', new Set(['new']));
    const plan = checkWatchRequest(planInput(graph), 'w', ['new']);
    assert.deepEqual(coverersOf(plan.assignments, 'new'), ['x']);
  });

  it('accepts the 651st person when one of the 650 can move to another watcher', () => {
    const graph = fullWatcher();
    graph.set('x', new Set(['p0100']));
    const current = fullWatcher();
    const plan = checkWatchRequest(planInput(graph, { current, redundancy: 1 }), 'w', ['new']);
    assert.equal(plan.uncovered.size, 0);
    assert.deepEqual(coverersOf(plan.assignments, 'p0100'), ['x']);
  });

  it('leaves an unavailable requester’s people to the keeper instead of refusing', () => {
    const plan = checkWatchRequest(planInput(fullWatcher(), { unavailable: new Set(['w']) }), 'w', [
      'new',
    ]);
    assert.equal(plan.uncovered.has('new'), true);
  });
});
