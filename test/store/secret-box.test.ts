import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../../src/errors/app-error';
import { isSealedUnderCurrentKey, openSecret, sealSecret } from '../../src/store/secret-box';
import { createStoreKeyRing, storeKeyId } from '../../src/store/store-keys';

function assertFails(fn: () => unknown, code = 'SECRET_BOX_FAILED' as const): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isAppError(error, code), String(error));
    assert.equal(error.detail, undefined);
    return true;
  });
}

/** Sealed by the format before key ids (`v1`), under `Buffer.alloc(32, 7)`. */
const LEGACY_KEY = Buffer.alloc(32, 7);
const LEGACY_CONTEXT = 'encryption_keys:legacy';
const LEGACY_SEALED = 'v1.PBtbBO0idHdEJQ52.CdXpGXGOjv6Z7DyG0FHiiQ.5cMDrJvk47_3R9qlo-8CbNQDmXpG';

describe('secret box', () => {
  const key = randomBytes(32);
  const ring = createStoreKeyRing(key);
  const context = 'encryption_keys:cert-1';

  it('opens what it sealed, for text and binary secrets', () => {
    assert.equal(
      openSecret(ring, sealSecret(ring, 'a secret', context), context).toString(),
      'a secret',
    );
    const binary = randomBytes(300);
    assert.deepEqual(openSecret(ring, sealSecret(ring, binary, context), context), binary);
    assert.equal(openSecret(ring, sealSecret(ring, '', context), context).length, 0);
  });

  it('uses a fresh IV each time and a versioned text format naming its key', () => {
    const first = sealSecret(ring, 'same', context);
    const second = sealSecret(ring, 'same', context);
    assert.notEqual(first, second);
    assert.match(first, /^v2\.[0-9a-f]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.equal(first.split('.')[1], storeKeyId(key));
    assert.ok(!first.includes('same'));
    assert.ok(isSealedUnderCurrentKey(ring, first));
  });

  it('refuses a sealed value with any one character changed', () => {
    const sealed = sealSecret(ring, 'tamper with me', context);
    for (let i = 0; i < sealed.length; i++) {
      const original = sealed.charAt(i);
      const replacement = original === 'A' ? 'B' : 'A';
      const tampered = sealed.slice(0, i) + replacement + sealed.slice(i + 1);
      assertFails(() => openSecret(ring, tampered, context));
    }
  });

  it('refuses another context and malformed values', () => {
    const sealed = sealSecret(ring, 'secret', context);
    assertFails(() => openSecret(ring, sealed, 'encryption_keys:cert-2'));
    for (const bad of [
      '',
      'v1',
      'v2',
      'v1' + sealed.slice(2),
      `${sealed}.extra`,
      sealed.slice(0, -4),
    ]) {
      assertFails(() => openSecret(ring, bad, context));
    }
  });

  it('names the missing key with STORE_KEY_UNAVAILABLE when the value was sealed under another key', () => {
    const other = createStoreKeyRing(randomBytes(32));
    const sealed = sealSecret(other, 'secret', context);
    assert.throws(
      () => openSecret(ring, sealed, context),
      (error: unknown) =>
        isAppError(error, 'STORE_KEY_UNAVAILABLE') &&
        error.message.includes(other.current.id) &&
        error.message.includes('STORE_ENCRYPTION_PREVIOUS_KEYS'),
    );
  });

  it('after a rotation, opens values sealed under a previous key and seals only under the current', () => {
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const underA = sealSecret(createStoreKeyRing(keyA), 'from before', context);
    const rotated = createStoreKeyRing(keyB, [keyA]);
    assert.equal(openSecret(rotated, underA, context).toString(), 'from before');
    assert.ok(!isSealedUnderCurrentKey(rotated, underA));
    const underB = sealSecret(rotated, 'after', context);
    assert.equal(underB.split('.')[1], storeKeyId(keyB));
    assert.equal(openSecret(createStoreKeyRing(keyB), underB, context).toString(), 'after');
  });

  it('still opens values sealed in the v1 format, under the current or a previous key', () => {
    const asCurrent = createStoreKeyRing(LEGACY_KEY);
    const asPrevious = createStoreKeyRing(randomBytes(32), [randomBytes(32), LEGACY_KEY]);
    for (const legacyRing of [asCurrent, asPrevious]) {
      const opened = openSecret(legacyRing, LEGACY_SEALED, LEGACY_CONTEXT).toString();
      assert.equal(opened, 'sealed before key ids');
      assert.ok(!isSealedUnderCurrentKey(legacyRing, LEGACY_SEALED));
    }
    assertFails(() => openSecret(ring, LEGACY_SEALED, LEGACY_CONTEXT));
    assertFails(() => openSecret(asCurrent, LEGACY_SEALED, context));
  });

  it('refuses keys that are not 32 bytes', () => {
    assertFails(() => createStoreKeyRing(randomBytes(16)));
    assertFails(() => createStoreKeyRing(key, [randomBytes(31)]));
  });
});
