import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/graph/retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delta seconds', () => {
    assert.equal(parseRetryAfter('7', now), 7_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', now), 0);
  });

  it('ignores absent and malformed values', () => {
    for (const value of [undefined, null, '', '-3', '1.5', 'soon']) {
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
    }
  });
});
