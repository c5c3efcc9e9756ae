import type { SimSubscription } from './sim-subscription';

/** The live subscriptions, by id. */
export interface SubscriptionStore {
  add(subscription: SimSubscription): void;
  find(id: string): SimSubscription | undefined;
  remove(id: string): SimSubscription | undefined;
  all(): SimSubscription[];
  /** The presence subscription `userId` holds for `appId`, if any. */
  findForUser(userId: string, appId: string): SimSubscription | undefined;
  /** Every subscription whose resource covers `subjectId`. */
  covering(subjectId: string): SimSubscription[];
}

/** An in-memory subscription store. */
export function createSubscriptionStore(): SubscriptionStore {
  const byId = new Map<string, SimSubscription>();
  return {
    add: (subscription) => void byId.set(subscription.id, subscription),
    find: (id) => byId.get(id.toLowerCase()),
    remove(id) {
      const found = byId.get(id.toLowerCase());
      byId.delete(id.toLowerCase());
      return found;
    },
    all: () => [...byId.values()],
    findForUser: (userId, appId) =>
      [...byId.values()].find((s) => s.creatorId === userId && s.applicationId === appId),
    covering: (subjectId) =>
      [...byId.values()].filter((s) => s.userIds.has(subjectId.toLowerCase())),
  };
}
