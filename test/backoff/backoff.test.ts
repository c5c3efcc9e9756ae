import assert from 'node:assert/strict';
import { backoffDelayMs, GRAPH_RETRY, TEAMS_RETRY } from '../../src/backoff/backoff';

const KEEPER = { ...GRAPH_RETRY, baseMs: 5_000, maxMs: 15 * 60_000 };
const ALERTS = { ...TEAMS_RETRY, baseMs: 1_000, maxMs: 5 * 60_000 };

describe('backoffDelayMs', () => {
  it('doubles with each attempt up to the cap', () => {
    const delays = [1, 2, 3, 4, 20].map((attempt) =>
      backoffDelayMs(KEEPER, attempt, undefined, () => 0),
    );
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 900_000]);
    const alertDelays = [1, 2, 3, 20].map((attempt) =>
      backoffDelayMs(ALERTS, attempt, undefined, () => 0),
    );
    assert.deepEqual(alertDelays, [1_000, 2_000, 4_000, 300_000]);
  });

  describe('for Graph (the keeper)', () => {
    it('never waits less than Retry-After, nor less than the exponential delay', () => {
      assert.equal(
        backoffDelayMs(KEEPER, 1, 120_000, () => 0),
        120_000,
      );
      assert.equal(
        backoffDelayMs(KEEPER, 6, 1_000, () => 0),
        160_000,
      );
    });

    it('adds up to 25% jitter on top, never below the floor', () => {
      assert.equal(
        backoffDelayMs(KEEPER, 1, 120_000, () => 0.999999),
        150_000,
      );
      for (let i = 0; i < 50; i += 1) {
        const delay = backoffDelayMs(KEEPER, 2, undefined, Math.random);
        assert.ok(delay >= 10_000 && delay <= 12_500);
      }
    });
  });

  describe('for the Bot Connector (the alerts)', () => {
    it('waits what Retry-After says instead of the exponential delay', () => {
      assert.equal(
        backoffDelayMs(ALERTS, 6, 1_000, () => 0),
        1_000,
      );
      assert.equal(
        backoffDelayMs(ALERTS, 1, 120_000, () => 0),
        120_000,
      );
    });

    it('adds up to 20% jitter, at most 5 s', () => {
      assert.equal(
        backoffDelayMs(ALERTS, 1, 10_000, () => 0.999999),
        12_000,
      );
      assert.equal(
        backoffDelayMs(ALERTS, 1, 120_000, () => 0.999999),
        125_000,
      );
    });
  });

  it('waits at least 1 ms', () => {
    assert.equal(
      backoffDelayMs(ALERTS, 1, 0, () => 0),
      1,
    );
  });
});
