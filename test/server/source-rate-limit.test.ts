import assert from 'node:assert/strict';
import { createSourceRateLimit } from '../../src/server/source-rate-limit';

describe('per-source rate limit', () => {
  let clock: number;
  const limit = (maxSources = 100) =>
    createSourceRateLimit({ capacity: 10, refillPerSecond: 5, maxSources, now: () => clock });

  beforeEach(() => {
    clock = 0;
  });

  it('serves a source until its charges empty the bucket, then asks it to wait', () => {
    const l = limit();
    l.charge('a', 10);
    assert.equal(l.retryAfterSeconds('a'), 1);
    l.charge('a', 10);
    assert.equal(l.retryAfterSeconds('a'), 3);
    assert.equal(l.retryAfterSeconds('b'), 0);
    clock += 3000;
    assert.equal(l.retryAfterSeconds('a'), 0);
  });

  it('never limits a source that is never charged', () => {
    const l = limit();
    for (let i = 0; i < 1000; i += 1) l.charge('a', 0);
    assert.equal(l.retryAfterSeconds('a'), 0);
  });

  it('tracks a bounded number of sources, forgetting the least recently charged', () => {
    const l = limit(2);
    l.charge('a', 20);
    l.charge('b', 20);
    l.charge('c', 20);
    assert.equal(l.retryAfterSeconds('a'), 0);
    assert.ok(l.retryAfterSeconds('b') > 0);
    assert.ok(l.retryAfterSeconds('c') > 0);
  });
});
