/** Where a person's presence version stands: simulated time of the change and a tie-breaking counter. */
export interface SequenceStamp {
  readonly time: number;
  readonly counter: number;
}

const TIME_DIGITS = 12;
const COUNTER_DIGITS = 6;
const COUNTER_LIMIT = 16 ** COUNTER_DIGITS;

/** The stamp of a presence nobody has set: sorts before every real one. */
export const ZERO_SEQUENCE_NUMBER = '0'.repeat(TIME_DIGITS + COUNTER_DIGITS);

/**
 * The next stamp after `previous` at simulated time `now`: later times restart the counter, a clock
 * that stands still (or went back) bumps it, so a person's stamps always increase.
 */
export function nextSequenceStamp(previous: SequenceStamp | undefined, now: number): SequenceStamp {
  const time = Math.max(0, Math.floor(now));
  if (!previous || time > previous.time) return { time, counter: 0 };
  if (previous.counter + 1 < COUNTER_LIMIT) {
    return { time: previous.time, counter: previous.counter + 1 };
  }
  return { time: previous.time + 1, counter: 0 };
}

/** Graph's `sequenceNumber`: fixed-width upper-case hex (time, then counter), lexicographically sortable. */
export function formatSequenceNumber(stamp: SequenceStamp): string {
  return hex(stamp.time, TIME_DIGITS) + hex(stamp.counter, COUNTER_DIGITS);
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}
