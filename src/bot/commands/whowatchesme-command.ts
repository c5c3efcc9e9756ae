import { TeamsInfo } from 'botbuilder';
import { getConversationReference } from '../../store/conversation-references';
import { threadBaseId } from '../../store/conversation-threads';
import type { CommandTurn } from '../bot-deps';
import { capped, escapeMarkdown } from '../user-text';

/** The rule `/whowatchesme` follows, stated in its reply and in the help. */
export const WHO_WATCHES_RULE =
  'I name a group chat or channel only if you are a member of it; private chats with me are only counted, never named.';

const MAX_MEMBERSHIP_CHECKS = 25;

/** What the asker may learn about the conversations that watch them. */
interface WatcherSummary {
  readonly named: string[];
  privateChats: number;
  notMember: number;
}

/** True when the asker is on the conversation's roster (the Bot Connector says so). */
async function isMember(turn: CommandTurn, conversationId: string): Promise<boolean> {
  try {
    const member = await TeamsInfo.getTeamMember(
      turn.context,
      threadBaseId(conversationId),
      turn.user.channelUserId,
    );
    return Boolean(member.id);
  } catch {
    return false;
  }
}

async function summarize(turn: CommandTurn, conversationIds: string[]): Promise<WatcherSummary> {
  const summary: WatcherSummary = { named: [], privateChats: 0, notMember: 0 };
  const here = turn.context.activity.conversation.id;
  let checks = 0;
  for (const id of conversationIds) {
    if (id === here) {
      summary.named.push('this conversation');
      continue;
    }
    const stored = await getConversationReference(turn.deps.db, id);
    if (stored?.conversationType === 'personal') {
      summary.privateChats += 1;
      continue;
    }
    const visible = stored !== undefined && checks < MAX_MEMBERSHIP_CHECKS;
    checks += visible ? 1 : 0;
    if (visible && (await isMember(turn, id))) {
      const kind = stored.conversationType === 'channel' ? 'channel' : 'group chat';
      const name = stored.name ? escapeMarkdown(capped(stored.name)) : '';
      summary.named.push(name ? `${kind} “${name}”` : `a ${kind} without a name`);
    } else {
      summary.notMember += 1;
    }
  }
  return summary;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function summaryLines(summary: WatcherSummary): string[] {
  const lines = summary.named.map((name) => `- ${name}`);
  if (summary.privateChats > 0) {
    lines.push(`- ${plural(summary.privateChats, 'private chat', 'private chats')}`);
  }
  if (summary.notMember > 0) {
    lines.push(
      `- ${plural(summary.notMember, 'group chat or channel', 'group chats or channels')} you are not in`,
    );
  }
  return lines;
}

/** `/whowatchesme`: which conversations watch the asker, named only where the asker can see them. */
export async function runWhoWatchesMeCommand(turn: CommandTurn): Promise<void> {
  const { tenantId } = turn.user;
  const me = turn.user.aadObjectId ?? '';
  const watches = (await turn.deps.watches.list({ targetId: me })).filter(
    (watch) => watch.tenantId.toLowerCase() === tenantId.toLowerCase(),
  );
  const conversationIds = [...new Set(watches.map((watch) => watch.conversationId))];
  const optedOut = await turn.deps.watches.hasOptedOut(tenantId, me);
  const optedOutLine = 'You have opted out, so nobody can watch you; /optin allows it again.';
  if (conversationIds.length === 0) {
    await turn.context.sendActivity(
      optedOut ? `Nobody watches your presence. ${optedOutLine}` : 'Nobody watches your presence.',
    );
    return;
  }
  const summary = await summarize(turn, conversationIds);
  const lead = `${plural(conversationIds.length, 'conversation watches', 'conversations watch')} your presence:`;
  const tail = optedOut
    ? [optedOutLine]
    : ['/optout stops them all and keeps anyone from watching you.'];
  await turn.context.sendActivity(
    [lead, ...summaryLines(summary), WHO_WATCHES_RULE, ...tail].join('\n\n'),
  );
}
