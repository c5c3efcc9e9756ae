import type { CommandRequest, CommandTurn } from '../bot-deps';
import { commandArguments, normalizeSpaces, personQueries } from '../command-text';
import { turnConversation } from '../conversation-scope';
import { withoutMentionMarkup } from '../mentions';
import {
  emptyResolution,
  resolveEmails,
  resolveMentions,
  uniquePeople,
  type Person,
  type Resolution,
} from '../person-resolver';
import { withUserToken } from '../sign-in-gate';
import { echoed, escapeMarkdown, MAX_ARGUMENT_CHARS, MAX_QUERY_CHARS } from '../user-text';
import { refuseLongArguments } from './watch-reply';

async function unwatchAll(turn: CommandTurn): Promise<void> {
  const count = await turn.deps.watches.unwatchAll(turnConversation(turn));
  await turn.context.sendActivity(
    count > 0
      ? `Stopped watching ${count} ${count === 1 ? 'person' : 'people'} here.`
      : 'Nobody was watched here.',
  );
}

/**
 * Names are looked up in the directory and matched among the people watched here; someone the
 * directory knows who is not watched here is reported as such, not as unknown.
 */
async function resolveWatchedNames(
  turn: CommandTurn,
  token: string,
  names: readonly string[],
  into: Resolution,
): Promise<void> {
  if (names.length === 0) return;
  const watched = await turn.deps.watches.listHere(turnConversation(turn));
  const watchedIds = new Set(watched.map((w) => w.targetId));
  for (const name of names) {
    const found =
      name.length > MAX_QUERY_CHARS ? [] : await turn.deps.graph.searchUsers(token, name, 25);
    const matches = found.filter((user) => watchedIds.has(user.id.toLowerCase()));
    const exact = found.filter((user) => user.displayName.toLowerCase() === name.toLowerCase());
    const people = matches.length > 0 ? matches : exact.length > 0 ? exact : found.slice(0, 1);
    if (people.length === 0) into.notFound.push(name);
    else into.people.push(...people.map((user) => ({ id: user.id, name: user.displayName })));
  }
}

function unwatchPeople(turn: CommandTurn, people: readonly Person[]): Promise<Person[]> {
  return turn.deps.watches.unwatch(turnConversation(turn), people);
}

const namesOf = (people: readonly Person[]): string =>
  people.map((person) => escapeMarkdown(person.name)).join(', ');

async function reply(turn: CommandTurn, stopped: Person[], resolution: Resolution): Promise<void> {
  const lines = stopped.length > 0 ? [`Stopped watching ${namesOf(stopped)}.`] : [];
  const notWatched = resolution.people.filter((p) => !stopped.includes(p));
  if (notWatched.length === 1) lines.push(`${namesOf(notWatched)} isn’t watched here.`);
  if (notWatched.length > 1) lines.push(`${namesOf(notWatched)} aren’t watched here.`);
  const unknown = resolution.notFound.map(echoed);
  if (unknown.length > 0) lines.push(`I couldn’t find ${unknown.join(', ')}.`);
  if (lines.length > 0 && stopped.length === 0) lines.push('/watching lists who is watched here.');
  await turn.context.sendActivity(
    lines.length > 0
      ? lines.join('\n\n')
      : 'Whom should I stop watching? Try /unwatch @someone or /unwatch all.',
  );
}

/** `/unwatch @Alex`, `/unwatch alex@contoso.com`, `/unwatch Alex`, `/unwatch all`. */
export async function runUnwatchCommand(turn: CommandTurn, request: CommandRequest): Promise<void> {
  const args = withoutMentionMarkup(
    commandArguments(request.text),
    request.mentions.map((m) => m.text),
  );
  if (args.length > MAX_ARGUMENT_CHARS) return refuseLongArguments(turn, 'unwatch');
  if (request.mentions.length === 0 && /^all$/i.test(normalizeSpaces(args))) {
    return unwatchAll(turn);
  }
  const { emails, names } = personQueries(args);
  const resolution = emptyResolution();
  const unresolved = await resolveMentions(turn.context, request.mentions, resolution);
  names.push(...unresolved.map((m) => m.name).filter((name) => name.length > 0));
  if (emails.length === 0 && names.length === 0) {
    const people = uniquePeople(resolution.people);
    return reply(turn, await unwatchPeople(turn, people), { ...resolution, people });
  }
  await withUserToken(turn, request, async (token) => {
    await resolveEmails(turn.deps.graph, token, emails, resolution);
    await resolveWatchedNames(turn, token, names, resolution);
    const people = uniquePeople(resolution.people);
    await reply(turn, await unwatchPeople(turn, people), { ...resolution, people });
  });
}
