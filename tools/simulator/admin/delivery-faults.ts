import type { RandomSource } from '../seeded-random';

/**
 * How notification deliveries misbehave. Shares are 0 to 1; delays are simulated ms. A delayed
 * notification is held back by a delay drawn from [minDelayMs, maxDelayMs], so newer ones overtake
 * it; a duplicated one is also sent a second time, later by such a delay, as a Graph retry would be.
 */
export interface DeliveryFault {
  dropShare: number;
  delayShare: number;
  duplicateShare: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** No misbehaviour: every notification once, at once. */
export const NO_DELIVERY_FAULT: DeliveryFault = {
  dropShare: 0,
  delayShare: 0,
  duplicateShare: 0,
  minDelayMs: 300,
  maxDelayMs: 30_000,
};

function checkedShare(share: number): number {
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new RangeError('a share must be between 0 and 1');
  return share;
}

/** The fault with `changes` applied; throws RangeError on a bad share or delay range. */
export function mergedDeliveryFault(
  current: DeliveryFault,
  changes: Partial<DeliveryFault>,
): DeliveryFault {
  const next = { ...current, ...changes };
  checkedShare(next.dropShare);
  checkedShare(next.delayShare);
  checkedShare(next.duplicateShare);
  if (!(
    next.minDelayMs >= 0 &&
    next.maxDelayMs >= next.minDelayMs &&
    Number.isFinite(next.maxDelayMs)
  ))
    throw new RangeError('delays must satisfy 0 <= minDelayMs <= maxDelayMs');
  return next;
}

/**
 * The simulated delays (ms) of the copies of one notification to send: `[0]` normally, `[d]` when
 * delayed, one more `d` when duplicated. Draws from `random`, so a seeded run repeats.
 */
export function deliveryCopyDelays(fault: DeliveryFault, random: RandomSource): number[] {
  const draw = (): number => fault.minDelayMs + random() * (fault.maxDelayMs - fault.minDelayMs);
  const first = fault.delayShare > 0 && random() < fault.delayShare ? draw() : 0;
  const copies = [first];
  if (fault.duplicateShare > 0 && random() < fault.duplicateShare) copies.push(draw());
  return copies;
}
