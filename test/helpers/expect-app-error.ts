import assert from 'node:assert/strict';
import { isAppError, type AppError } from '../../src/errors/app-error';
import type { ErrorCode } from '../../src/errors/error-codes';

/** Awaits `promise`, asserts it rejects with an AppError of `code`, and returns that error. */
export async function expectAppError(
  promise: Promise<unknown>,
  code: ErrorCode,
): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(outcome !== undefined, `expected AppError ${code}, but the promise resolved`);
  assert.ok(isAppError(outcome), `expected AppError ${code}, got ${String(outcome)}`);
  assert.equal(outcome.code, code, `expected ${code}, got ${outcome.code}: ${outcome.message}`);
  return outcome;
}
