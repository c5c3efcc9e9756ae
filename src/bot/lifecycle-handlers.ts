import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Activity, ChannelAccount, TurnContext } from 'botbuilder';
import { forgetConversation } from '../store/conversation-cleanup';
import type { Watch } from '../store/watches';
import type { CommandTurn } from './bot-deps';
import { HELP_TEXT } from './commands/help-command';
import { conversationScopeIds } from './conversation-scope';
import { endDepartedWatchers } from './member-departure';

/** What the bot says when it is added to a chat, a team or a personal scope. */
export const WELCOME_TEXT = `Hi, I’m Presence Watch. ${HELP_TEXT}`;

const REMOVING_ACTIONS = new Set(['remove', 'remove-upgrade']);

/** True when `members` includes the bot (the activity's recipient). */
export function includesBot(
  activity: Partial<Activity>,
  members: ChannelAccount[] | undefined,
): boolean {
  const botId = activity.recipient?.id;
  return botId !== undefined && (members ?? []).some((member) => member.id === botId);
}

/**
 * The bot was removed or uninstalled: forgets the conversation's watches, references and queued
 * alerts at once, and wakes the keeper for each tenant whose watches shrank.
 */
export async function forgetLostConversation(turn: CommandTurn): Promise<Watch[]> {
  const removed: Watch[] = [];
  const ids = await conversationScopeIds(turn);
  for (const id of ids) removed.push(...(await forgetConversation(turn.deps.db, id)));
  for (const tenantId of new Set(removed.map((watch) => watch.tenantId))) {
    turn.deps.onWatchesChanged(tenantId);
  }
  turn.logger.info(
    { conversations: ids.size, watches: removed.length },
    'bot removed from a conversation; forgot it',
  );
  return removed;
}

type TurnOf = (context: TurnContext, state: TurnState) => CommandTurn;

/**
 * Routes for the bot's own lifecycle: removal (`membersRemoved` with the bot, `installationUpdate`
 * remove, team deleted) forgets the conversation; a member who leaves ends the watches they added; being added (`membersAdded` with the bot) to a
 * personal or group chat sends a welcome with the commands. In a team it stays quiet until
 * mentioned: an unprompted channel post would notify the whole team. Installation `add` is left to
 * `membersAdded`, which Teams also sends.
 */
export function addLifecycleRoutes(app: Application<TurnState>, turnOf: TurnOf): void {
  const run =
    (work: (turn: CommandTurn) => Promise<unknown>) =>
    async (context: TurnContext, state: TurnState): Promise<void> => {
      const turn = turnOf(context, state);
      try {
        await work(turn);
      } catch (error) {
        turn.logger.error(
          { err: { name: error instanceof Error ? error.name : typeof error } },
          'lifecycle event failed',
        );
      }
    };
  app.conversationUpdate(
    'membersRemoved',
    run(async (turn) => {
      const activity = turn.context.activity;
      if (includesBot(activity, activity.membersRemoved)) await forgetLostConversation(turn);
      else await endDepartedWatchers(turn, activity.membersRemoved ?? []);
    }),
  );
  app.conversationUpdate('teamDeleted', run(forgetLostConversation));
  app.conversationUpdate('teamHardDeleted', run(forgetLostConversation));
  app.activity(
    'installationUpdate',
    run(async (turn) => {
      if (REMOVING_ACTIONS.has(String(turn.context.activity.action))) {
        await forgetLostConversation(turn);
      }
    }),
  );
  app.conversationUpdate(
    'membersAdded',
    run(async (turn) => {
      const activity = turn.context.activity;
      const inTeam = activity.conversation?.conversationType === 'channel';
      if (!inTeam && includesBot(activity, activity.membersAdded)) {
        await turn.context.sendActivity(WELCOME_TEXT);
      }
    }),
  );
}
