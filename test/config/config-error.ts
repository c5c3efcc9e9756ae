import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config';
import { isAppError } from '../../src/errors/app-error';

/** The message of the CONFIG_INVALID error `env` is refused with (fails when it loads). */
export function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(isAppError(error, 'CONFIG_INVALID'));
    return error.message;
  }
  assert.fail('expected CONFIG_INVALID');
}
