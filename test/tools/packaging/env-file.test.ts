import assert from 'node:assert/strict';
import { mergeEnvValues, parseEnvText } from '../../../tools/packaging/env-file';

describe('env-file', () => {
  it('parses KEY=value lines, skipping comments and blanks and removing quotes', () => {
    const values = parseEnvText(
      '# comment\n\nTEAMSFX_ENV=dev\nAPP_NAME_SUFFIX=" (local)"\nEMPTY=\n  export SPACED = x y \r\nnot a line\n',
    );
    assert.deepEqual(values, {
      TEAMSFX_ENV: 'dev',
      APP_NAME_SUFFIX: ' (local)',
      EMPTY: '',
      SPACED: 'x y',
    });
  });

  it('lets the fallback fill only names the file leaves unset or empty', () => {
    const merged = mergeEnvValues(
      { BOT_ID: 'from-file', BOT_DOMAIN: '', APP_NAME_SUFFIX: '' },
      { BOT_ID: 'from-process', BOT_DOMAIN: 'example.net', OTHER: 'x', BLANK: '' },
    );
    assert.deepEqual(merged, {
      BOT_ID: 'from-file',
      BOT_DOMAIN: 'example.net',
      APP_NAME_SUFFIX: '',
      OTHER: 'x',
    });
  });
});
