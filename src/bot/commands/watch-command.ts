import type { CommandRequest, CommandTurn } from '../bot-deps';
import { commandArguments, parseWatchArguments, personQueries } from '../command-text';
import { CANDIDATES_TEMPLATE } from '../cards/candidates-card';
import { PEOPLE_PICKER_TEMPLATE } from '../cards/people-picker-card';
import { cardAttachment } from '../cards/render-card';
import { withoutMentionMarkup } from '../mentions';
import {
  emptyResolution,
  resolveEmails,
  resolveMentionsInDirectory,
  resolveNames,
  uniquePeople,
} from '../person-resolver';
import { withUserToken } from '../sign-in-gate';
import { isPersonalConversation } from '../turn-identity';
import { echoedPlain, MAX_ARGUMENT_CHARS } from '../user-text';
import { notFoundNotes, refuseLongArguments, watchAndReply } from './watch-reply';

const ORG_DATASET = 'graph.microsoft.com/users';
const CONVERSATION_DATASET = 'graph.microsoft.com/users?scope=currentContext';

/** Sends the people picker: the whole directory in a personal chat, the members elsewhere. */
async function sendPeoplePicker(turn: CommandTurn): Promise<void> {
  const dataset = isPersonalConversation(turn.context.activity)
    ? ORG_DATASET
    : CONVERSATION_DATASET;
  await turn.context.sendActivity({
    attachments: [cardAttachment(PEOPLE_PICKER_TEMPLATE, { dataset })],
  });
}

/** `/watch @Alex @Megan`, `/watch alex@contoso.com`, `/watch Alex Wilber`, `/watch` (picker); with options. */
export async function runWatchCommand(turn: CommandTurn, request: CommandRequest): Promise<void> {
  const args = withoutMentionMarkup(
    commandArguments(request.text),
    request.mentions.map((m) => m.text),
  );
  if (args.length > MAX_ARGUMENT_CHARS) return refuseLongArguments(turn, 'watch');
  const { options, rest } = parseWatchArguments(args);
  const { emails, names } = personQueries(rest);
  if (request.mentions.length === 0 && emails.length === 0 && names.length === 0) {
    return sendPeoplePicker(turn);
  }
  await withUserToken(turn, request, async (token) => {
    const resolution = emptyResolution();
    const unresolved = await resolveMentionsInDirectory(
      turn.context,
      turn.deps.graph,
      token,
      request.mentions,
      resolution,
    );
    const mentionNames = unresolved.map((m) => m.name).filter((name) => name.length > 0);
    await resolveEmails(turn.deps.graph, token, emails, resolution);
    await resolveNames(turn.deps.graph, token, [...mentionNames, ...names], resolution);
    for (const { query, candidates } of resolution.ambiguous) {
      const card = cardAttachment(CANDIDATES_TEMPLATE, {
        query: echoedPlain(query),
        options,
        candidates: candidates.map((user) => ({
          id: user.id,
          name: user.displayName,
          detail: user.jobTitle ?? user.mail ?? '',
        })),
      });
      await turn.context.sendActivity({ attachments: [card] });
    }
    const people = uniquePeople(resolution.people);
    if (
      people.length === 0 &&
      resolution.ambiguous.length > 0 &&
      resolution.notFound.length === 0
    ) {
      return;
    }
    await watchAndReply(turn, token, people, options, notFoundNotes(resolution.notFound));
  });
}
