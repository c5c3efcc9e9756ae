import { UNNAMED_PERSON } from '../../alerts/presence-words';
import { isAppError } from '../../errors/app-error';
import type { CommandTurn } from '../bot-deps';
import { directoryPerson } from '../person-resolver';
import { tokenIfSignedIn } from '../sign-in-gate';

/** The asker's token when they are signed in; undefined otherwise (no card is sent). */
export async function optionalToken(turn: CommandTurn): Promise<string | undefined> {
  return tokenIfSignedIn(turn).catch((error: unknown) => {
    if (isAppError(error)) return undefined;
    throw error;
  });
}

/** A person's display name from the directory, looked up with `token`; UNNAMED_PERSON without one. */
export async function displayNameOf(
  turn: CommandTurn,
  token: string | undefined,
  targetId: string,
): Promise<string> {
  if (!token || !targetId) return UNNAMED_PERSON;
  const person = await directoryPerson(turn.deps.graph, token, targetId).catch(() => undefined);
  return person?.name ?? UNNAMED_PERSON;
}
