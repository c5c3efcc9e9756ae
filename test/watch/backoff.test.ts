import assert from 'node:assert/strict';
import { backoffDelayMs } from '../../src/watch/backoff';

const POLICY = { baseMs: 5_000, maxMs: 15 * 60_000 };

describe('backoffDelayMs', () => {
  it('doubles with each attempt up to the cap', () => {
    const delays = [1, 2, 3, 4, 20].map((attempt) =>
      backoffDelayMs(POLICY, attempt, undefined, () => 0),
    );
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 900_000]);
  });

  it('never waits less than Retry-After', () => {
    assert.equal(
      backoffDelayMs(POLICY, 1, 120_000, () => 0),
      120_000,
    );
    assert.equal(
      backoffDelayMs(POLICY, 6, 1_000, () => 0),
      160_000,
    );
  });

  it('adds up to 25% jitter on top, never below the floor', () => {
    assert.equal(
      backoffDelayMs(POLICY, 1, 120_000, () => 0.999999),
      150_000,
    );
    for (let i = 0; i < 50; i += 1) {
      const delay = backoffDelayMs(POLICY, 2, undefined, Math.random);
      assert.ok(delay >= 10_000 && delay <= 12_500);
    }
  });
});
