import type { Directory } from '../directory/directory';
import { pick, type RandomSource } from '../seeded-random';
import type { PresenceEngine } from './presence-engine';
import type { PresenceStore } from './presence-store';
import { COMMON_PRESENCES, samePresence } from './presence-values';

const DEMO_STATES = Object.values(COMMON_PRESENCES);

/** Every `intervalMs` of simulated time, changes one person's presence (Playground people first). */
export function createDemoEngine(deps: {
  directory: Directory;
  presence: PresenceStore;
  random: RandomSource;
  intervalMs: number;
}): PresenceEngine {
  const users = deps.directory.listUsers();
  const featured = users.filter((user) => user.playgroundUserId !== undefined);
  const candidates = featured.length > 0 ? featured : users;
  let nextAt: number | undefined;

  return {
    step(now) {
      nextAt ??= now + deps.intervalMs;
      if (now < nextAt || candidates.length === 0) return;
      nextAt = now + deps.intervalMs;
      const user = pick(deps.random, candidates);
      const current = deps.presence.get(user.id);
      const choices = DEMO_STATES.filter((state) => !samePresence(state, current));
      deps.presence.set(user.id, pick(deps.random, choices), 'demo');
    },
  };
}
