import type { EpochMs } from './database-schema';

/** Where a presence reading sits in time: when it was seen and Graph's version stamp, if any. */
export interface PresencePosition {
  readonly observedAt: EpochMs;
  readonly sequence: string | null;
}

/** Graph's `sequenceNumber` when it is usable (a non-empty string); anything else is ignored. */
export function usableSequence(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Whether an observation may replace the stored presence. When both carry Graph's sequence number
 * only a greater one does (plain string comparison, whatever the clocks say: a repeat or a late,
 * superseded notification loses); otherwise one observed no earlier than the stored one does.
 */
export function supersedes(stored: PresencePosition, observed: PresencePosition): boolean {
  if (stored.sequence !== null && observed.sequence !== null) {
    return observed.sequence > stored.sequence;
  }
  return observed.observedAt >= stored.observedAt;
}

/** The greater of two sequence numbers, either of which may be missing. */
export function laterSequence(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

/**
 * How close in arrival time a differing notification may come to the stored presence before its
 * order is in doubt (when either side lacks a sequence number): Graph's late and duplicate copies
 * arrive within it, so it is confirmed by a presence read instead of being applied.
 */
export const ORDER_DOUBT_WINDOW_MS = 60_000;

/**
 * Whether a notification that differs from the stored presence cannot be ordered against it: not
 * both carry Graph's sequence number, and they were observed within `windowMs` of each other.
 */
export function notificationInDoubt(
  windowMs: number,
): (stored: PresencePosition, observed: PresencePosition) => boolean {
  return (stored, observed) => {
    if (stored.sequence !== null && observed.sequence !== null) return false;
    return Math.abs(observed.observedAt - stored.observedAt) < windowMs;
  };
}
