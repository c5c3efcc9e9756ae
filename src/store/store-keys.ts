import { createHmac } from 'node:crypto';
import { AppError } from '../errors/app-error';

const KEY_BYTES = 32;
const KEY_ID_BYTES = 8;
const KEY_ID_LABEL = 'presence-watch store key id';

/** One store encryption key and the id sealed values name it by. */
export interface StoreKey {
  /** 16 hex characters derived from the key (an HMAC, so it reveals nothing of the key). */
  readonly id: string;
  readonly key: Buffer;
}

/** The key new values are sealed with, and older keys values sealed earlier may still need. */
export interface StoreKeyRing {
  readonly current: StoreKey;
  readonly previous: readonly StoreKey[];
}

/** The id of a 32-byte store key. */
export function storeKeyId(key: Buffer): string {
  return createHmac('sha256', key)
    .update(KEY_ID_LABEL)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('hex');
}

/** Builds a ring from the current key and any previous ones (duplicates of the current are dropped). */
export function createStoreKeyRing(
  current: Buffer,
  previous: readonly Buffer[] = [],
): StoreKeyRing {
  const currentKey = storeKeyOf(current);
  const previousKeys = previous
    .map(storeKeyOf)
    .filter(
      (key, i, all) => key.id !== currentKey.id && all.findIndex((k) => k.id === key.id) === i,
    );
  return { current: currentKey, previous: previousKeys };
}

/** The key of the ring with this id, current or previous. */
export function findStoreKey(ring: StoreKeyRing, id: string): StoreKey | undefined {
  return [ring.current, ...ring.previous].find((key) => key.id === id);
}

function storeKeyOf(key: Buffer): StoreKey {
  if (key.length !== KEY_BYTES) throw new AppError('SECRET_BOX_FAILED');
  return { id: storeKeyId(key), key };
}
