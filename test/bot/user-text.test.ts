import assert from 'node:assert/strict';
import { capped, echoed, escapeMarkdown } from '../../src/bot/user-text';

describe('user text', () => {
  it('escapes every markdown special so a link or emphasis shows as typed', () => {
    assert.equal(
      escapeMarkdown('[a](http://x.y) **b** _c_'),
      '\\[a\\]\\(http://x\\.y\\) \\*\\*b\\*\\* \\_c\\_',
    );
    assert.equal(escapeMarkdown('Megan Bowen'), 'Megan Bowen');
  });

  it('caps long text on a code point boundary with an ellipsis', () => {
    assert.equal(capped('abc', 5), 'abc');
    assert.equal(capped('😀😀😀', 2), '😀😀…');
    assert.equal([...echoed('x'.repeat(500))].length, 63);
  });
});
