export { createGraphClient, type GraphClient, type GraphClientOptions } from './graph-client';
export { GraphError, type GraphFailure } from './graph-error';
export type {
  GraphPresence,
  GraphSubscription,
  GraphUser,
  SubscriptionRequest,
} from './graph-types';
export { MAX_PRESENCE_IDS, presenceResource } from './presence-resource';
