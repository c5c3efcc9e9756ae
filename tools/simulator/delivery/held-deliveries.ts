import type { SimClock } from '../sim-clock';

/**
 * Notifications held back until a simulated time (delayed or duplicated deliveries). Each is
 * released by a real timer scaled to the clock's speed, or by `releaseDue` once the clock passes
 * its time (a clock advanced by hand).
 */
export interface HeldDeliveries<T> {
  hold(item: T, delayMs: number): void;
  /** Hands every item whose time has come to the release callback. */
  releaseDue(): void;
  readonly size: number;
  clear(): void;
}

/** Builds an empty hold that passes released items to `release`. */
export function createHeldDeliveries<T>(
  clock: SimClock,
  release: (item: T) => void,
): HeldDeliveries<T> {
  const held = new Map<number, { dueAt: number; item: T; timer: NodeJS.Timeout }>();
  let nextKey = 0;
  const releaseOne = (key: number): void => {
    const entry = held.get(key);
    if (!entry) return;
    held.delete(key);
    clearTimeout(entry.timer);
    release(entry.item);
  };
  return {
    hold(item, delayMs) {
      const key = nextKey++;
      const timer = setTimeout(() => releaseOne(key), delayMs / clock.speed());
      held.set(key, { dueAt: clock.now() + delayMs, item, timer });
    },
    releaseDue() {
      const now = clock.now();
      for (const [key, entry] of [...held]) if (entry.dueAt <= now) releaseOne(key);
    },
    get size() {
      return held.size;
    },
    clear() {
      for (const entry of held.values()) clearTimeout(entry.timer);
      held.clear();
    },
  };
}
