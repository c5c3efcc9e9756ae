import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { toTeamsSendError } from './teams-send-error';

/** Sends one activity into a stored conversation; failures are TeamsSendErrors. */
export type SendToConversation = (
  reference: Partial<ConversationReference>,
  activity: Partial<Activity>,
) => Promise<void>;

/**
 * The name of the retry policy in the pipeline of botbuilder's connector client (@azure/core-rest-pipeline's
 * `defaultRetryPolicyName`). botbuilder has no setting to turn it off: ConnectorFactoryImpl builds
 * each ConnectorClient itself and passes no retry options, so the policy is removed per turn.
 */
export const SDK_RETRY_POLICY = 'defaultRetryPolicy';

interface PipelineLike {
  removePolicy(options: { name: string }): unknown;
}

/**
 * Turns off the connector client's built-in retries for this turn: it would sleep through 429s and
 * 5xx in real time on its own; the alert sender schedules every retry itself, durably.
 */
function withoutSdkRetries(context: TurnContext, adapter: CloudAdapter): void {
  const connector: unknown = context.turnState.get(adapter.ConnectorClientKey);
  const inner: unknown = connector ? Reflect.get(connector, 'client') : undefined;
  const pipeline: unknown = inner ? Reflect.get(inner, 'pipeline') : undefined;
  if (pipeline && typeof (pipeline as PipelineLike).removePolicy === 'function') {
    (pipeline as PipelineLike).removePolicy({ name: SDK_RETRY_POLICY });
  }
}

/**
 * A sender that posts through botbuilder's `CloudAdapter.continueConversationAsync`, as a new
 * message in the conversation (POST /v3/conversations/{id}/activities, not a reply). A failed send
 * is caught inside the proactive turn, so the adapter's `onTurnError` never sees it (it would log an
 * unhandled error and post an apology into the very conversation that failed), and is thrown as a
 * TeamsSendError once the turn is over.
 */
export function botConnectorSender(
  adapter: CloudAdapter,
  botAppId: string,
  now: () => number = Date.now,
): SendToConversation {
  return async (reference, activity) => {
    const failure: { error?: unknown } = {};
    try {
      await adapter.continueConversationAsync(botAppId, reference, async (context) => {
        withoutSdkRetries(context, adapter);
        context.onSendActivities(async (_context, activities, next) => {
          for (const outgoing of activities) delete outgoing.replyToId;
          return next();
        });
        try {
          await context.sendActivity(activity);
        } catch (error) {
          failure.error = error;
        }
      });
    } catch (error) {
      throw toTeamsSendError(error, now());
    }
    if ('error' in failure) throw toTeamsSendError(failure.error, now());
  };
}
