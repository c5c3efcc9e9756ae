import { presenceStateWords } from '../../../src/alerts/presence-words';
import type { SimUser } from '../../../tools/simulator/directory/sim-user';
import {
  COMMON_PRESENCES,
  type PresenceState,
} from '../../../tools/simulator/presence/presence-values';
import type { RunningSimulator } from '../../../tools/simulator/simulator-server';

/** Every step changes availability, so every change alerts a watch without options. */
export const PRESENCE_CYCLE: readonly PresenceState[] = [
  COMMON_PRESENCES.busy,
  COMMON_PRESENCES.away,
  COMMON_PRESENCES.doNotDisturb,
  COMMON_PRESENCES.beRightBack,
  COMMON_PRESENCES.available,
];

/** Where every burst starts from. */
export const BURST_START = COMMON_PRESENCES.offline;

/** Change `index` of a burst: person `index % n` moves one step along the cycle. */
export function burstStep(
  people: readonly SimUser[],
  index: number,
): { person: SimUser; state: PresenceState } {
  const person = people[index % people.length] as SimUser;
  const step = Math.floor(index / people.length);
  return { person, state: PRESENCE_CYCLE[step % PRESENCE_CYCLE.length] as PresenceState };
}

/** How a presence reads on an alert card ("Busy", "Do not disturb (Presenting)"). */
export function cardWords(state: PresenceState): string {
  return presenceStateWords(state);
}

/** Makes changes `from`..`to` (exclusive), pausing briefly every `pauseEvery` changes. */
export async function runBurst(
  sim: RunningSimulator,
  people: readonly SimUser[],
  range: { from: number; to: number },
  options: { pauseEvery: number; pauseMs: number; onChange?: (index: number) => Promise<void> },
): Promise<void> {
  for (let i = range.from; i < range.to; i += 1) {
    const { person, state } = burstStep(people, i);
    sim.setPresence(person.id, state);
    await options.onChange?.(i);
    if (i % options.pauseEvery === options.pauseEvery - 1) {
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }
}

/** Polls `test` every 250 ms; on timeout fails with `state()` in the message. */
export async function until(
  what: string,
  test: () => Promise<boolean>,
  timeoutMs: number,
  state: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await state())}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
