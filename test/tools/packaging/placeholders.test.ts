import assert from 'node:assert/strict';
import { isAppError } from '../../../src/errors/app-error';
import {
  jsonStringEncoder,
  placeholderNames,
  resolvePlaceholders,
} from '../../../tools/packaging/placeholders';

describe('placeholders', () => {
  it('lists distinct ${{NAME}} placeholders in order, ignoring ${{env:NAME}} task forms', () => {
    const text = 'a ${{BOT_ID}} b ${{ BOT_DOMAIN }} c ${{BOT_ID}} ${{local:TEAMS_APP_ID}} ${other}';
    assert.deepEqual(placeholderNames(text), ['BOT_ID', 'BOT_DOMAIN']);
  });

  it('replaces every placeholder, keeping empty values', () => {
    const text = 'Presence Watch${{APP_NAME_SUFFIX}} api://botid-${{BOT_ID}}';
    assert.equal(
      resolvePlaceholders(text, { APP_NAME_SUFFIX: '', BOT_ID: 'abc' }),
      'Presence Watch api://botid-abc',
    );
  });

  it('names every placeholder without a value in one APP_PACKAGE_INVALID error', () => {
    assert.throws(
      () => resolvePlaceholders('${{A}} ${{B}} ${{C}}', { B: 'b' }),
      (error: unknown) => isAppError(error, 'APP_PACKAGE_INVALID') && /A, C/.test(error.message),
    );
  });

  it('escapes values inserted into JSON strings', () => {
    const json = resolvePlaceholders(
      '{"name":"${{NAME}}"}',
      { NAME: 'a "b" \\ c' },
      jsonStringEncoder,
    );
    assert.deepEqual(JSON.parse(json), { name: 'a "b" \\ c' });
  });
});
