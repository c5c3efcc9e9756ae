import {
  formatSequenceNumber,
  nextSequenceStamp,
  ZERO_SEQUENCE_NUMBER,
  type SequenceStamp,
} from './presence-sequence';
import {
  normalisePresence,
  samePresence,
  UNKNOWN_PRESENCE,
  type PresenceState,
} from './presence-values';

/** Who or what changed a presence. */
export type PresenceSource = 'manual' | 'schedule' | 'scenario' | 'demo' | 'seed';

/** A presence with Graph's `sequenceNumber`: a per-person version that sorts lexicographically. */
export interface SequencedPresence extends PresenceState {
  sequenceNumber: string;
}

/** A presence change as listeners see it. */
export interface PresenceChange {
  userId: string;
  previous: PresenceState;
  current: SequencedPresence;
  source: PresenceSource;
}

/** Current presence of every person, with change notifications. */
export interface PresenceStore {
  get(userId: string): SequencedPresence;
  /** Sets someone's presence; returns true when it changed (listeners are told). */
  set(userId: string, state: PresenceState, source: PresenceSource): boolean;
  onChange(listener: (change: PresenceChange) => void): () => void;
}

interface StoredPresence {
  state: PresenceState;
  stamp: SequenceStamp;
}

/**
 * Builds a store where every known id starts with `initial`; unknown ids read PresenceUnknown.
 * Every change gets a higher sequence number, stamped with the simulated time from `now`.
 */
export function createPresenceStore(
  userIds: readonly string[],
  initial: PresenceState,
  now: () => number,
): PresenceStore {
  const entries = new Map<string, StoredPresence>();
  const startStamp = nextSequenceStamp(undefined, now());
  for (const id of userIds)
    entries.set(id.toLowerCase(), { state: { ...initial }, stamp: startStamp });
  const listeners = new Set<(change: PresenceChange) => void>();

  return {
    get: (userId) => sequenced(entries.get(userId.toLowerCase())),
    set(userId, state, source) {
      const key = userId.toLowerCase();
      const previous = entries.get(key);
      if (!previous) throw new RangeError(`unknown user ${userId}`);
      const next = normalisePresence(state);
      if (samePresence(previous.state, next)) return false;
      const entry = { state: next, stamp: nextSequenceStamp(previous.stamp, now()) };
      entries.set(key, entry);
      const current = sequenced(entry);
      for (const listener of listeners) {
        listener({ userId, previous: previous.state, current, source });
      }
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function sequenced(entry: StoredPresence | undefined): SequencedPresence {
  if (!entry) return { ...UNKNOWN_PRESENCE, sequenceNumber: ZERO_SEQUENCE_NUMBER };
  return { ...entry.state, sequenceNumber: formatSequenceNumber(entry.stamp) };
}
