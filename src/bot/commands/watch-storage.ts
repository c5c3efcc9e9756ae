import { isAppError } from '../../errors/app-error';
import { normalizeEntraId } from '../../store/entra-ids';
import { optedOutAmong } from '../../store/privacy-opt-outs';
import { upsertWatch } from '../../store/watches';
import type { CommandTurn } from '../bot-deps';
import { describeOptions, type WatchOptions } from '../command-text';
import { cardAttachment } from '../cards/render-card';
import { presenceLabel } from '../cards/presence-labels';
import { WATCH_RESULT_TEMPLATE, type WatchResultPerson } from '../cards/watch-result-card';
import type { Person } from '../person-resolver';
import { echoedPlain, MAX_ARGUMENT_CHARS } from '../user-text';
import { recordShownPresence } from '../shown-presence';

/** Stores a watch of each person (after the keeper's admission check) and wakes the keeper. */
async function storeWatches(
  turn: CommandTurn,
  people: readonly Person[],
  options: WatchOptions,
): Promise<void> {
  const { tenantId } = turn.user;
  const watcherId = turn.user.aadObjectId ?? '';
  await turn.deps.admitWatch?.({ tenantId, watcherId, targetIds: people.map((p) => p.id) });
  for (const person of people) {
    await upsertWatch(
      turn.deps.db,
      {
        tenantId,
        conversationId: turn.context.activity.conversation.id,
        watcherId,
        targetId: person.id,
        ...options,
      },
      turn.now(),
    );
  }
  turn.deps.onWatchesChanged(tenantId);
}

/**
 * The card rows of the people just watched, from a live presence read that becomes their
 * last-known presence and the watches' baseline: the next real change alerts, and nothing the
 * card showed is alerted again.
 */
async function presenceRows(
  turn: CommandTurn,
  token: string,
  people: readonly Person[],
): Promise<WatchResultPerson[]> {
  const presences = await turn.deps.graph.getPresencesByUserId(
    token,
    people.map((p) => p.id),
  );
  await recordShownPresence(turn, presences);
  const byId = new Map(presences.map((p) => [p.id.toLowerCase(), p]));
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

/** Splits people into those who may be watched and those who opted out of being watched. */
async function withoutOptedOut(
  turn: CommandTurn,
  people: readonly Person[],
): Promise<{ people: Person[]; refused: Person[] }> {
  const optedOut = await optedOutAmong(
    turn.deps.db,
    turn.user.tenantId,
    people.map((p) => p.id),
  );
  const isOptedOut = (person: Person): boolean => optedOut.has(normalizeEntraId(person.id));
  return {
    people: people.filter((person) => !isOptedOut(person)),
    refused: people.filter(isOptedOut),
  };
}

function optedOutNote(person: Person): string {
  return `${person.name} has opted out of presence watching, so I can’t watch them.`;
}

/** The note for the asker picking or naming themself. */
export const SELF_WATCH_NOTE =
  'That’s you: you already know your own presence, so I don’t watch it. /whowatchesme shows who watches you.';

/** Splits the asker out of the people asked for. */
function withoutSelf(turn: CommandTurn, people: readonly Person[]): [Person[], boolean] {
  const self = normalizeEntraId(turn.user.aadObjectId ?? '');
  const others = people.filter((person) => normalizeEntraId(person.id) !== self);
  return [others, others.length < people.length];
}

/**
 * Watches `requested` in this conversation and replies with a card of their current presence and
 * notes (people not found, the asker themself, people who opted out and are refused); a refusal by
 * the keeper's limit is explained instead.
 */
export async function watchAndReply(
  turn: CommandTurn,
  token: string,
  requested: readonly Person[],
  options: WatchOptions,
  notFound: readonly string[],
): Promise<void> {
  const [others, askedForSelf] = withoutSelf(turn, requested);
  const { people, refused } = await withoutOptedOut(turn, others);
  const notes = [
    ...(askedForSelf ? [SELF_WATCH_NOTE] : []),
    ...refused.map(optedOutNote),
    ...notFound,
  ];
  if (people.length > 0) {
    try {
      await storeWatches(turn, people, options);
    } catch (error) {
      if (!isAppError(error, 'WATCH_LIMIT_EXCEEDED')) throw error;
      await turn.context.sendActivity(
        'I can’t watch that many people for you: one sign-in covers at most 650 people. ' +
          'Unwatch someone first (/watching), or ask a colleague who watches them to add them.',
      );
      return;
    }
  }
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
