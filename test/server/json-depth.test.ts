import assert from 'node:assert/strict';
import { exceedsJsonDepth } from '../../src/server/json-depth';

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

describe('exceedsJsonDepth', () => {
  it('accepts a document nested exactly to the limit', () => {
    assert.equal(exceedsJsonDepth(text('{"value":[{"a":{}}]}'), 4), false);
  });

  it('rejects a document one level deeper than the limit', () => {
    assert.equal(exceedsJsonDepth(text('{"value":[{"a":{"b":[]}}]}'), 4), true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    assert.equal(exceedsJsonDepth(text('{"a":"[[[[{{{{","b\\"[[[[":1}'), 1), false);
  });

  it('rejects deep nesting anywhere, not just at the top', () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    assert.equal(exceedsJsonDepth(text(`{"value":[1,2,${deep}]}`), 64), true);
  });

  it('does not count multi-byte UTF-8 characters as brackets', () => {
    assert.equal(exceedsJsonDepth(text('{"name":"Zoë ⟦⟧ 🙂"}'), 1), false);
  });
});
