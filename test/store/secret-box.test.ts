import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../../src/errors/app-error';
import { openSecret, sealSecret } from '../../src/store/secret-box';

function assertSecretBoxFailed(fn: () => unknown): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isAppError(error, 'SECRET_BOX_FAILED'), String(error));
    assert.equal(error.detail, undefined);
    return true;
  });
}

describe('secret box', () => {
  const key = randomBytes(32);
  const context = 'encryption_keys:cert-1';

  it('opens what it sealed, for text and binary secrets', () => {
    assert.equal(
      openSecret(key, sealSecret(key, 'a secret', context), context).toString(),
      'a secret',
    );
    const binary = randomBytes(300);
    assert.deepEqual(openSecret(key, sealSecret(key, binary, context), context), binary);
    assert.equal(openSecret(key, sealSecret(key, '', context), context).length, 0);
  });

  it('uses a fresh IV each time and a versioned text format', () => {
    const first = sealSecret(key, 'same', context);
    const second = sealSecret(key, 'same', context);
    assert.notEqual(first, second);
    assert.match(first, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(!first.includes('same'));
  });

  it('refuses a sealed value with any one character changed', () => {
    const sealed = sealSecret(key, 'tamper with me', context);
    for (let i = 0; i < sealed.length; i++) {
      const original = sealed.charAt(i);
      const replacement = original === 'A' ? 'B' : 'A';
      const tampered = sealed.slice(0, i) + replacement + sealed.slice(i + 1);
      assertSecretBoxFailed(() => openSecret(key, tampered, context));
    }
  });

  it('refuses another context, another key, and malformed values', () => {
    const sealed = sealSecret(key, 'secret', context);
    assertSecretBoxFailed(() => openSecret(key, sealed, 'encryption_keys:cert-2'));
    assertSecretBoxFailed(() => openSecret(randomBytes(32), sealed, context));
    for (const bad of ['', 'v1', 'v2' + sealed.slice(2), `${sealed}.extra`, sealed.slice(0, -4)]) {
      assertSecretBoxFailed(() => openSecret(key, bad, context));
    }
  });

  it('refuses keys that are not 32 bytes', () => {
    assertSecretBoxFailed(() => sealSecret(randomBytes(16), 'secret', context));
    assertSecretBoxFailed(() =>
      openSecret(randomBytes(31), sealSecret(key, 'x', context), context),
    );
  });
});
