import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';

const DATE_FIELDS = [
  ['timestamp', 'rawTimestamp'],
  ['expiration', 'rawExpiration'],
  ['localTimestamp', 'rawLocalTimestamp'],
] as const;

/**
 * botbuilder's CloudAdapter with a way to run an activity the route has already read: failures
 * (an AuthenticationError for a bad token) reach the caller instead of being printed to stderr
 * with their stack, as `CloudAdapter.process` does for every forged request.
 */
export class ActivityAdapter extends CloudAdapter {
  /** Authenticates `authHeader` against the activity and runs `logic`; rejects on any failure. */
  runActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** The activity in a JSON body, with dates parsed as botbuilder does; undefined without a type. */
export function activityOf(body: Record<string, unknown>): Activity | undefined {
  if (typeof body.type !== 'string' || body.type.length === 0) return undefined;
  const activity: Record<string, unknown> = { ...body };
  for (const [field, rawField] of DATE_FIELDS) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[rawField] = value;
      activity[field] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/** True for botbuilder's AuthenticationError (a missing, forged or expired token). */
export function isAuthenticationFailure(error: unknown): boolean {
  return (error as { statusCode?: unknown } | null)?.statusCode === 401;
}
