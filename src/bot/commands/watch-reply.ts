import { isAppError } from '../../errors/app-error';
import type { WatchOutcome } from '../../watch/watch-service';
import type { CommandTurn } from '../bot-deps';
import { describeOptions, type WatchOptions } from '../command-text';
import { cardAttachment } from '../cards/render-card';
import { presenceLabel } from '../cards/presence-labels';
import { WATCH_RESULT_TEMPLATE, type WatchResultPerson } from '../cards/watch-result-card';
import type { Person } from '../person-resolver';
import { echoedPlain, MAX_ARGUMENT_CHARS } from '../user-text';
import { turnConversation } from '../conversation-scope';
import { presenceNow } from './presence-now';

/**
 * The card rows of the people just watched, from a live presence read that becomes their
 * last-known presence and the watches' baseline: the next real change alerts, and nothing the
 * card showed is alerted again (last-known presence while Graph throttles).
 */
async function presenceRows(
  turn: CommandTurn,
  token: string,
  people: readonly Person[],
): Promise<WatchResultPerson[]> {
  const byId = await presenceNow(
    turn,
    token,
    people.map((p) => p.id),
  );
  return people.map((person) => {
    const presence = byId.get(person.id.toLowerCase());
    return {
      name: person.name,
      detail: '',
      ...presenceLabel(
        presence?.availability ?? 'PresenceUnknown',
        presence?.activity ?? 'PresenceUnknown',
      ),
    };
  });
}

function alreadyWatchedNote(person: Person): string {
  return `${person.name} is already watched in this channel.`;
}

function optedOutNote(person: Person): string {
  return `${person.name} has opted out of presence watching, so I can’t watch them.`;
}

/** The note for the asker picking or naming themself. */
export const SELF_WATCH_NOTE =
  'That’s you: you already know your own presence, so I don’t watch it. /whowatchesme shows who watches you.';

/** Watches the people asked for here, or explains the keeper's limit and returns undefined. */
async function watchWithinLimit(
  turn: CommandTurn,
  requested: readonly Person[],
  options: WatchOptions,
): Promise<WatchOutcome<Person> | undefined> {
  try {
    return await turn.deps.watches.watch({
      ...turnConversation(turn),
      watcherId: turn.user.aadObjectId ?? '',
      people: requested,
      options,
    });
  } catch (error) {
    if (!isAppError(error, 'WATCH_LIMIT_EXCEEDED')) throw error;
    await turn.context.sendActivity(
      'I can’t watch that many people for you: one sign-in covers at most 650 people. ' +
        'Unwatch someone first (/watching), or ask a colleague who watches them to add them.',
    );
    return undefined;
  }
}

/**
 * Watches `requested` in this conversation and replies with a card of their current presence (which
 * becomes the watches' baseline) and notes (people not found, the asker themself, people who opted
 * out and are refused); a refusal by the keeper's limit is explained instead.
 */
export async function watchAndReply(
  turn: CommandTurn,
  token: string,
  requested: readonly Person[],
  options: WatchOptions,
  notFound: readonly string[],
): Promise<void> {
  const outcome = await watchWithinLimit(turn, requested, options);
  if (!outcome) return;
  const { watched: people, alreadyWatched, optedOut, askedForSelf } = outcome;
  const notes = [
    ...(askedForSelf ? [SELF_WATCH_NOTE] : []),
    ...alreadyWatched.map(alreadyWatchedNote),
    ...optedOut.map(optedOutNote),
    ...notFound,
  ];
  const rows = people.length > 0 ? await presenceRows(turn, token, people) : [];
  const names = people.map((p) => p.name).join(', ');
  const card = cardAttachment(WATCH_RESULT_TEMPLATE, {
    title: people.length > 0 ? `Watching ${names}` : 'Nobody new to watch',
    optionsText: describeOptions(options),
    people: rows,
    notes,
  });
  await turn.context.sendActivity({ attachments: [card] });
}

/** The notes for names or addresses the directory does not know (shown as typed, capped). */
export function notFoundNotes(notFound: readonly string[]): string[] {
  return notFound.map(
    (query) => `I couldn’t find ${echoedPlain(query)} in your organisation’s directory.`,
  );
}

/** The note for picked people the directory does not know (their ids mean nothing to the user). */
export function pickedNotFoundNotes(count: number): string[] {
  if (count === 0) return [];
  return [
    count === 1
      ? '1 picked person isn’t in your organisation’s directory, so I didn’t watch them.'
      : `${count} picked people aren’t in your organisation’s directory, so I didn’t watch them.`,
  ];
}

/** The answer to a `/watch` or `/unwatch` whose arguments are too long to be names. */
export async function refuseLongArguments(turn: CommandTurn, command: string): Promise<void> {
  const limit = MAX_ARGUMENT_CHARS.toLocaleString('en-US');
  await turn.context.sendActivity(
    `That’s too long for /${command}: I take at most ${limit} characters of names and addresses. Try fewer people at a time.`,
  );
}
