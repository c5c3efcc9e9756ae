import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, type ErrorCode } from '../../src/errors/error-codes';

const ERROR_CODES_DOC = join(__dirname, '..', '..', 'docs', 'error-codes.md');

/** The codes the document describes: the first cell of each table row, in backticks. */
function documentedCodes(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([A-Z][A-Z_]*)`\s*\|(.*)\|\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined) rows.set(match[1], match[2]);
  }
  return rows;
}

describe('error codes', () => {
  const documented = documentedCodes(readFileSync(ERROR_CODES_DOC, 'utf8'));
  const registered = Object.keys(ERROR_CODES) as ErrorCode[];

  it('documents every registered code in docs/error-codes.md', () => {
    const missing = registered.filter((code) => !documented.has(code));
    assert.deepEqual(missing, [], `add a row for each of these to docs/error-codes.md`);
  });

  it('documents no code the registry does not have', () => {
    const stale = [...documented.keys()].filter((code) => !(code in ERROR_CODES));
    assert.deepEqual(stale, [], `remove these rows from docs/error-codes.md or register the codes`);
  });

  it('says what each documented code means and what to do about it', () => {
    const empty = registered.filter((code) =>
      (documented.get(code) ?? '').split('|').some((cell) => cell.trim().length === 0),
    );
    assert.deepEqual(empty, [], 'every row needs a meaning and an action');
  });
});
