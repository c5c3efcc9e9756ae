import type { Logger } from '../logging/logger';
import { createGraphCall, type GraphCallObserver } from './graph-caller';
import type { FetchImpl } from './graph-middleware';
import { splitGraphBaseUrl } from './graph-sdk-client';
import { presenceOperations, type PresenceOperations } from './presence-operations';
import { subscriptionOperations, type SubscriptionOperations } from './subscription-operations';
import { userOperations, type UserOperations } from './user-operations';

/** How to build the Graph client. */
export interface GraphClientOptions {
  /** Graph's root including the version: `https://graph.microsoft.com/v1.0`, or the simulator's. */
  baseUrl: string;
  fetchImpl?: FetchImpl;
  /** Per request (default 30 s); a timeout is GRAPH_UNAVAILABLE. */
  timeoutMs?: number;
  logger: Logger;
  /** Clock for Retry-After HTTP dates (default Date.now). */
  now?: () => number;
  /** Hears each operation's outcome (metrics). */
  onCall?: GraphCallObserver;
}

/**
 * Microsoft Graph for Presence Watch. Every call takes the delegated access token to use; it never
 * retries: failures are GraphErrors (GRAPH_THROTTLED etc. with `retryAfterMs`) for the caller to pace.
 */
export interface GraphClient extends SubscriptionOperations, PresenceOperations, UserOperations {}

/** Builds the Graph client over the SDK with our bearer-token middleware and no retry handler. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  splitGraphBaseUrl(options.baseUrl);
  const call = createGraphCall(options);
  return {
    ...subscriptionOperations(call, options.baseUrl),
    ...presenceOperations(call),
    ...userOperations(call),
  };
}
