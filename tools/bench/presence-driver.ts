import { COMMON_PRESENCES, type PresenceState } from '../simulator/presence/presence-values';
import { seededRandom } from '../simulator/seeded-random';
import type { RunningSimulator } from '../simulator/simulator-server';

const STATES: readonly PresenceState[] = Object.values(COMMON_PRESENCES);
const STEP_REAL_MS = 20;

/** What the presence driver is asked to do. */
export interface PresenceDrive {
  /** Simulated milliseconds to run for (from the clock's current time). */
  readonly durationMs: number;
  /** Presence changes to make, spread evenly over the duration. */
  readonly changes: number;
  /** Who may change (one is picked at random for each change). */
  readonly people: readonly string[];
  readonly seed: number;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Changes presence of random people at an even pace in simulated time, each time to a state different
 * from the current one, until `durationMs` of simulated time has passed. Returns how many real
 * changes were made (each is one change the simulator notifies about).
 */
export async function drivePresence(sim: RunningSimulator, drive: PresenceDrive): Promise<number> {
  const random = seededRandom(drive.seed);
  const start = sim.clock.now();
  let made = 0;
  for (;;) {
    const elapsed = Math.min(sim.clock.now() - start, drive.durationMs);
    const due = Math.floor((elapsed / drive.durationMs) * drive.changes);
    while (made < due) {
      const person = drive.people[Math.floor(random() * drive.people.length)] as string;
      const current = sim.getPresence(person);
      const choices = STATES.filter(
        (s) => s.availability !== current.availability || s.activity !== current.activity,
      );
      if (
        sim.setPresence(person, choices[Math.floor(random() * choices.length)] as PresenceState)
      ) {
        made += 1;
      }
    }
    if (elapsed >= drive.durationMs) return made;
    await delay(STEP_REAL_MS);
  }
}
