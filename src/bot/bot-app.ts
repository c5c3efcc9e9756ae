import { Application, TurnState, type AdaptiveCard } from '@microsoft/teams-ai';
import { ActivityTypes, TurnContext } from 'botbuilder';
import { STOP_WATCHING_VERB } from '../alerts/alert-card';
import { isAppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { BotDeps, CommandRequest, CommandTurn } from './bot-deps';
import { CANDIDATE_SUBMIT_VERB } from './cards/candidates-card';
import { PICKER_SUBMIT_VERB } from './cards/people-picker-card';
import { dispatchCommand, TEXT_COMMANDS } from './command-dispatch';
import { MAGIC_CODE_PATTERN } from './command-text';
import { runStopWatchingAction, type StopWatchingData } from './commands/stop-watching-action';
import { runUnwatchAction, type UnwatchActionData } from './commands/watching-command';
import { addLifecycleRoutes } from './lifecycle-handlers';
import { mentionsBot, personMentions, textWithoutBotMentions } from './mentions';
import { hasPendingCommand } from './pending-commands';
import { runSignInFailure } from './sign-in-failure';
import { runMagicCode, runTokenExchange, runVerifyState } from './sign-in-handlers';
import { channelUserOf, isPersonalConversation } from './turn-identity';

export type { BotDeps } from './bot-deps';

type Handler = (turn: CommandTurn) => Promise<void>;

/** The answer to a card button pressed by someone the channel did not identify. */
export const UNIDENTIFIED_ACTION_TEXT =
  'I can’t tell who you are in this chat, so I can’t change what is watched here.';

function invokeNamed(name: string) {
  return (context: TurnContext): Promise<boolean> =>
    Promise.resolve(
      context.activity.type === ActivityTypes.Invoke && context.activity.name === name,
    );
}

function anyMessage(context: TurnContext): Promise<boolean> {
  return Promise.resolve(context.activity.type === ActivityTypes.Message);
}

function requestOf(context: TurnContext): CommandRequest {
  const activity = context.activity;
  return {
    text: activity.text ?? '',
    mentions: personMentions(activity),
    ...(activity.value === undefined ? {} : { value: activity.value }),
  };
}

/**
 * The Presence Watch bot as a Teams AI application: `/watch`, `/unwatch`, `/watching`,
 * `/whowatchesme`, `/optout`, `/optin`, `/help`, `/signout`, the people picker and candidate cards,
 * the Unwatch card action, sign-in (OAuth card with magic code, Teams SSO token exchange and
 * `signin/failure`), and its lifecycle (welcome when added; forget a conversation when removed or uninstalled). Run it with `adapter.process(req, res, (c) => app.run(c))`.
 */
export function createBotApplication(deps: BotDeps): Application<TurnState> {
  const logger = deps.logger.child({ module: 'bot' });
  const now = deps.now ?? Date.now;
  const app = new Application<TurnState>({
    storage: deps.storage,
    ...(deps.botAppId ? { botAppId: deps.botAppId } : {}),
    removeRecipientMention: false,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });
  const turnOf = (context: TurnContext, state: TurnState): CommandTurn => ({
    context,
    state,
    user: channelUserOf(context.activity),
    deps,
    logger,
    now,
  });
  const guarded =
    (handler: Handler) =>
    async (context: TurnContext, state: TurnState): Promise<void> => {
      try {
        await handler(turnOf(context, state));
      } catch (error) {
        logFailure(logger, error, 'command failed');
        await context.sendActivity(failureText(error));
      }
    };

  app.turn('beforeTurn', async (context, state) => {
    const activity = context.activity;
    const user = channelUserOf(activity);
    try {
      await deps.accounts.remember(user);
      await deps.onConversationSeen(TurnContext.getConversationReference(activity));
    } catch (error) {
      logger.warn(
        { err: safeError(error) },
        'storing the user account or conversation reference failed',
      );
    }
    if (activity.type !== ActivityTypes.Message) return true;
    activity.text = textWithoutBotMentions(activity);
    if (activity.value === null) delete activity.value;
    if (isPersonalConversation(activity) || mentionsBot(activity) || activity.value !== undefined) {
      return true;
    }
    return (
      MAGIC_CODE_PATTERN.test(activity.text) && hasPendingCommand(state, user.channelUserId, now())
    );
  });

  addLifecycleRoutes(app, turnOf);
  app.addRoute(invokeNamed('signin/tokenExchange'), guarded(runTokenExchange), true);
  app.addRoute(invokeNamed('signin/verifyState'), guarded(runVerifyState), true);
  app.addRoute(invokeNamed('signin/failure'), guarded(runSignInFailure), true);
  const cardAction =
    <Data>(run: (turn: CommandTurn, data: Data) => Promise<Record<string, unknown>>) =>
    async (context: TurnContext, state: TurnState, data: Data): Promise<AdaptiveCard | string> => {
      const turn = turnOf(context, state);
      if (!turn.user.aadObjectId) return UNIDENTIFIED_ACTION_TEXT;
      try {
        return (await run(turn, data)) as unknown as AdaptiveCard;
      } catch (error) {
        logFailure(logger, error, 'card action failed');
        return failureText(error);
      }
    };
  app.adaptiveCards.actionExecute<UnwatchActionData>('unwatch', cardAction(runUnwatchAction));
  app.adaptiveCards.actionExecute<StopWatchingData>(
    STOP_WATCHING_VERB,
    cardAction(runStopWatchingAction),
  );
  const dispatch = guarded((turn) => dispatchCommand(turn, requestOf(turn.context)));
  app.adaptiveCards.actionSubmit(PICKER_SUBMIT_VERB, (context, state) => dispatch(context, state));
  app.adaptiveCards.actionSubmit(CANDIDATE_SUBMIT_VERB, (context, state) =>
    dispatch(context, state),
  );
  for (const [pattern] of TEXT_COMMANDS) app.message(pattern, dispatch);
  app.message(
    MAGIC_CODE_PATTERN,
    guarded((turn) => runMagicCode(turn, turn.context.activity.text ?? '')),
  );
  app.message(anyMessage, dispatch);
  return app;
}

/** Graph throttling is expected and the user is told to wait: a warning; anything else is an error. */
function logFailure(logger: Logger, error: unknown, message: string): void {
  if (isAppError(error, 'GRAPH_THROTTLED')) logger.warn({ err: safeError(error) }, message);
  else logger.error({ err: safeError(error) }, message);
}

function failureText(error: unknown): string {
  if (isAppError(error, 'GRAPH_THROTTLED'))
    return 'Microsoft Graph is busy; try again in a minute.';
  if (isAppError(error, 'GRAPH_FORBIDDEN')) {
    return 'Microsoft Graph refused: your organisation may not allow reading presence.';
  }
  const code = isAppError(error) ? ` (${error.code})` : '';
  return `Sorry, something went wrong${code}. Please try again.`;
}

function safeError(error: unknown): { name: string; code?: string } {
  if (isAppError(error)) return { name: error.name, code: error.code };
  return { name: error instanceof Error ? error.name : typeof error };
}
