import type { CommandRequest, CommandTurn } from '../bot-deps';
import type { WatchOptions } from '../command-text';
import {
  directoryPerson,
  emptyResolution,
  resolvePickedValues,
  uniquePeople,
} from '../person-resolver';
import { withUserToken } from '../sign-in-gate';
import { MAX_PICKED_PEOPLE } from '../user-text';
import { pickedNotFoundNotes, watchAndReply } from './watch-reply';

/** The fields a picker or candidate submit carries. */
interface WatchSubmitValue {
  people?: unknown;
  targetId?: unknown;
  onlyWhenAvailable?: unknown;
  once?: unknown;
  includeActivity?: unknown;
}

function isOn(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The watch options in a submitted card's value. */
export function submittedOptions(value: WatchSubmitValue): WatchOptions {
  return {
    onlyWhenAvailable: isOn(value.onlyWhenAvailable),
    once: isOn(value.once),
    includeActivity: isOn(value.includeActivity),
  };
}

/** The people picker's value: comma-joined ids (Entra ids in Teams, user ids in the Playground). */
export function pickedValues(people: unknown): string[] {
  if (typeof people !== 'string') return [];
  return people
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}

/** The people picker was submitted: watch everyone picked. */
export async function runPickerSubmit(turn: CommandTurn, request: CommandRequest): Promise<void> {
  const value = (request.value ?? {}) as WatchSubmitValue;
  const values = pickedValues(value.people);
  if (values.length === 0) {
    await turn.context.sendActivity('Pick at least one person, then press Watch.');
    return;
  }
  if (values.length > MAX_PICKED_PEOPLE) {
    await turn.context.sendActivity(
      `Pick at most ${MAX_PICKED_PEOPLE} people at a time, then press Watch.`,
    );
    return;
  }
  await withUserToken(turn, request, async (token) => {
    const resolution = emptyResolution();
    await resolvePickedValues(turn.context, turn.deps.graph, token, values, resolution);
    await watchAndReply(
      turn,
      token,
      uniquePeople(resolution.people),
      submittedOptions(value),
      pickedNotFoundNotes(resolution.notFound.length),
    );
  });
}

/** A candidate button of an ambiguous name was pressed: watch that person. */
export async function runCandidateSubmit(
  turn: CommandTurn,
  request: CommandRequest,
): Promise<void> {
  const value = (request.value ?? {}) as WatchSubmitValue;
  const targetId = typeof value.targetId === 'string' ? value.targetId : '';
  await withUserToken(turn, request, async (token) => {
    const person = targetId ? await directoryPerson(turn.deps.graph, token, targetId) : undefined;
    const people = person ? [person] : [];
    const notes = person ? [] : pickedNotFoundNotes(1);
    await watchAndReply(turn, token, people, submittedOptions(value), notes);
  });
}
