import type { SubscriptionSecrets } from './client-state-check';

/** The lookup while this instance has made no Graph subscriptions: every notification is unknown. */
export const NO_SUBSCRIPTIONS: SubscriptionSecrets = {
  clientStateFor: async () => undefined,
};
