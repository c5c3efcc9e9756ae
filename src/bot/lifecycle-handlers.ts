import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Activity, ChannelAccount, TurnContext } from 'botbuilder';
import type { Watch } from '../watch/watch-service';
import type { CommandTurn } from './bot-deps';
import { isPersonalConversation } from './turn-identity';
import { purgeUninstallingUser } from './uninstall-purge';
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
 * alerts at once (the watch service tells the keeper of each tenant whose watches shrank).
 */
export async function forgetLostConversation(turn: CommandTurn): Promise<Watch[]> {
  const ids = await conversationScopeIds(turn);
  const removed = await turn.deps.watches.forgetConversations(ids);
  turn.logger.info(
    { conversations: ids.size, watches: removed.length },
    'bot removed from a conversation; forgot it',
  );
  return removed;
}

type TurnOf = (context: TurnContext, state: TurnState) => CommandTurn;

interface WelcomeState {
  welcomed?: boolean;
}

/**
 * Sends the welcome unless this conversation already had it (in its stored conversation state):
 * Teams repeats `membersAdded` for the bot (the Playground on every page reload).
 */
async function welcomeOnce(turn: CommandTurn): Promise<void> {
  const conversation = turn.state.conversation as WelcomeState;
  if (conversation.welcomed) return;
  await turn.context.sendActivity(WELCOME_TEXT);
  conversation.welcomed = true;
}

/** After the bot was removed, a later install is welcomed again. */
function forgetWelcome(turn: CommandTurn): void {
  (turn.state.conversation as WelcomeState).welcomed = false;
}

/**
 * Routes for the bot's own lifecycle: removal (`membersRemoved` with the bot, `installationUpdate`
 * remove, team deleted) forgets the conversation; a member who leaves ends the watches they added;
 * being added (`membersAdded` with the bot) to a personal chat, group chat or team sends a welcome
 * with the commands, once per conversation. Installation `add` is left to `membersAdded`, which
 * Teams also sends.
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
      if (includesBot(activity, activity.membersRemoved)) {
        forgetWelcome(turn);
        await forgetLostConversation(turn);
      } else await endDepartedWatchers(turn, activity.membersRemoved ?? []);
    }),
  );
  app.conversationUpdate('teamDeleted', run(forgetLostConversation));
  app.conversationUpdate('teamHardDeleted', run(forgetLostConversation));
  app.activity(
    'installationUpdate',
    run(async (turn) => {
      if (REMOVING_ACTIONS.has(String(turn.context.activity.action))) {
        forgetWelcome(turn);
        await forgetLostConversation(turn);
        if (isPersonalConversation(turn.context.activity)) await purgeUninstallingUser(turn);
      }
    }),
  );
  app.conversationUpdate(
    'membersAdded',
    run(async (turn) => {
      const activity = turn.context.activity;
      if (includesBot(activity, activity.membersAdded)) await welcomeOnce(turn);
    }),
  );
}
