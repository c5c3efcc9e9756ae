import {
  normalisePresence,
  samePresence,
  UNKNOWN_PRESENCE,
  type PresenceState,
} from './presence-values';

/** Who or what changed a presence. */
export type PresenceSource = 'manual' | 'schedule' | 'scenario' | 'demo' | 'seed';

/** A presence change as listeners see it. */
export interface PresenceChange {
  userId: string;
  previous: PresenceState;
  current: PresenceState;
  source: PresenceSource;
}

/** Current presence of every person, with change notifications. */
export interface PresenceStore {
  get(userId: string): PresenceState;
  /** Sets someone's presence; returns true when it changed (listeners are told). */
  set(userId: string, state: PresenceState, source: PresenceSource): boolean;
  onChange(listener: (change: PresenceChange) => void): () => void;
}

/** Builds a store where every known id starts with `initial`; unknown ids read PresenceUnknown. */
export function createPresenceStore(
  userIds: readonly string[],
  initial: PresenceState,
): PresenceStore {
  const states = new Map<string, PresenceState>();
  for (const id of userIds) states.set(id.toLowerCase(), { ...initial });
  const listeners = new Set<(change: PresenceChange) => void>();

  return {
    get: (userId) => ({ ...(states.get(userId.toLowerCase()) ?? UNKNOWN_PRESENCE) }),
    set(userId, state, source) {
      const key = userId.toLowerCase();
      const previous = states.get(key);
      if (!previous) throw new RangeError(`unknown user ${userId}`);
      const current = normalisePresence(state);
      if (samePresence(previous, current)) return false;
      states.set(key, current);
      for (const listener of listeners) listener({ userId, previous, current, source });
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
