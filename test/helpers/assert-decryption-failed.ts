import assert from 'node:assert/strict';
import { isAppError } from '../../src/errors/app-error';
import { ERROR_CODES } from '../../src/errors/error-codes';

/** Asserts `error` is the one opaque DECRYPTION_FAILED: no detail, no cause, the registry message only. */
export function assertOpaqueDecryptionFailure(error: unknown): true {
  assert.ok(
    isAppError(error, 'DECRYPTION_FAILED'),
    `expected DECRYPTION_FAILED, got ${String(error)}`,
  );
  assert.equal(error.detail, undefined);
  assert.equal(error.cause, undefined);
  assert.equal(error.message, ERROR_CODES.DECRYPTION_FAILED);
  return true;
}

/** Awaits `promise` and asserts it rejects with the opaque DECRYPTION_FAILED. */
export async function assertRejectsOpaquely(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, assertOpaqueDecryptionFailure);
}
