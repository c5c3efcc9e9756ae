import { z } from 'zod';

/** A whole number of seconds from the environment, between `min` and `max`, `fallback` when unset. */
export function seconds(min: number, max: number, fallback: number) {
  return z.coerce.number().int().min(min).max(max).default(fallback);
}
