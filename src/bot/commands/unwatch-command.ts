import { listWatches, removeConversationWatches, removeWatch } from '../../store/watches';
import type { CommandRequest, CommandTurn } from '../bot-deps';
import { commandArguments, normalizeSpaces, personQueries } from '../command-text';
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

async function unwatchAll(turn: CommandTurn): Promise<void> {
  const count = await removeConversationWatches(
    turn.deps.db,
    turn.context.activity.conversation.id,
  );
  if (count > 0) turn.deps.onWatchesChanged(turn.user.tenantId);
  await turn.context.sendActivity(
    count > 0
      ? `Stopped watching ${count} ${count === 1 ? 'person' : 'people'} here.`
      : 'Nobody was watched here.',
  );
}

/** Names are matched among the people watched here (by display name prefix), through the directory. */
async function resolveWatchedNames(
  turn: CommandTurn,
  token: string,
  names: readonly string[],
  into: Resolution,
): Promise<void> {
  if (names.length === 0) return;
  const watched = await listWatches(turn.deps.db, {
    conversationId: turn.context.activity.conversation.id,
  });
  const watchedIds = new Set(watched.map((w) => w.targetId));
  for (const name of names) {
    const found = await turn.deps.graph.searchUsers(token, name, 25);
    const matches = found.filter((user) => watchedIds.has(user.id.toLowerCase()));
    if (matches.length === 0) into.notFound.push(name);
    else into.people.push(...matches.map((user) => ({ id: user.id, name: user.displayName })));
  }
}

async function unwatchPeople(turn: CommandTurn, people: readonly Person[]): Promise<string[]> {
  const stopped: string[] = [];
  for (const person of people) {
    if (await removeWatch(turn.deps.db, turn.context.activity.conversation.id, person.id)) {
      stopped.push(person.name);
    }
  }
  if (stopped.length > 0) turn.deps.onWatchesChanged(turn.user.tenantId);
  return stopped;
}

async function reply(turn: CommandTurn, stopped: string[], resolution: Resolution): Promise<void> {
  const lines = stopped.length > 0 ? [`Stopped watching ${stopped.join(', ')}.`] : [];
  const unknown = [...resolution.notFound];
  const notWatched = resolution.people.filter((p) => !stopped.includes(p.name)).map((p) => p.name);
  if (notWatched.length > 0) lines.push(`Not watched here: ${notWatched.join(', ')}.`);
  if (unknown.length > 0) lines.push(`I couldn’t find ${unknown.map((q) => `"${q}"`).join(', ')}.`);
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
  if (request.mentions.length === 0 && /^all$/i.test(normalizeSpaces(args))) {
    return unwatchAll(turn);
  }
  const { emails, names } = personQueries(args);
  const resolution = emptyResolution();
  const unresolved = await resolveMentions(turn.context, request.mentions, resolution);
  names.push(...unresolved.map((m) => m.name).filter((name) => name.length > 0));
  if (emails.length === 0 && names.length === 0) {
    const stopped = await unwatchPeople(turn, uniquePeople(resolution.people));
    return reply(turn, stopped, resolution);
  }
  await withUserToken(turn, request, async (token) => {
    await resolveEmails(turn.deps.graph, token, emails, resolution);
    await resolveWatchedNames(turn, token, names, resolution);
    const stopped = await unwatchPeople(turn, uniquePeople(resolution.people));
    await reply(turn, stopped, resolution);
  });
}
