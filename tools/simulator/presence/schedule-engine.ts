import type { Directory } from '../directory/directory';
import type { PresenceEngine } from './presence-engine';
import type { PresenceStore } from './presence-store';
import { samePresence, type PresenceState } from './presence-values';
import { presenceAt, workingDayPlan, type WorkingDayPlan } from './working-day-plan';

/**
 * Moves everyone through a realistic working day (hours, meetings, lunch, breaks, focus time),
 * reproducible from `seed`. A manual change holds until the schedule's next transition.
 */
export function createScheduleEngine(deps: {
  directory: Directory;
  presence: PresenceStore;
  seed: number;
}): PresenceEngine {
  const plans = new Map<string, WorkingDayPlan>();
  const lastScheduled = new Map<string, PresenceState>();

  const planFor = (userId: string, day: Date): WorkingDayPlan => {
    const key = `${userId}|${day.toDateString()}`;
    const cached = plans.get(key);
    if (cached) return cached;
    if (plans.size > 10_000) plans.clear();
    const plan = workingDayPlan(deps.seed, userId, day);
    plans.set(key, plan);
    return plan;
  };

  return {
    step(now) {
      const date = new Date(now);
      const minute = date.getHours() * 60 + date.getMinutes();
      for (const user of deps.directory.listUsers()) {
        const state = presenceAt(planFor(user.id, date), minute);
        const previous = lastScheduled.get(user.id);
        if (previous && samePresence(previous, state)) continue;
        lastScheduled.set(user.id, state);
        deps.presence.set(user.id, state, 'schedule');
      }
    },
  };
}
