import type { Directory } from '../directory/directory';
import type { IssuedTokens } from '../identity';
import type { SimulatorParts } from '../simulator-parts';
import type { LifecycleEvent } from '../delivery/notification-items';
import { GraphError, notFound } from '../http/graph-error';
import type { SequencedPresence } from '../presence/presence-store';
import type { PresenceState } from '../presence/presence-values';
import type { SimClock } from '../sim-clock';
import type { SimSubscription } from '../subscriptions/sim-subscription';
import type { FaultInjector } from './fault-injector';

/** What tests, the admin API and scripts use to drive the simulator. */
export interface SimulatorControl {
  readonly tenantId: string;
  readonly clock: SimClock;
  readonly directory: Directory;
  readonly faults: FaultInjector;
  /** Sets a person's presence by object id, principal name or Playground id; true if it changed. */
  setPresence(userId: string, state: PresenceState): boolean;
  /** A person's presence with its `sequenceNumber`. */
  getPresence(userId: string): SequencedPresence;
  /** Sends a lifecycle event for a subscription (subscriptionRemoved also removes it). */
  triggerLifecycle(subscriptionId: string, event: LifecycleEvent): void;
  /** Graph loses a subscription without telling anyone (no lifecycle event); true if it existed. */
  loseSubscription(subscriptionId: string): boolean;
  /** Withdraws a user's consent: tokens die and their subscriptions get reauthorizationRequired. */
  revokeConsent(userId: string): boolean;
  /** Issues a delegated Graph token as if the user signed in to `appId`. */
  issueToken(request: {
    userId: string;
    appId: string;
    scopes: string[];
    lifetimeSeconds?: number;
  }): Promise<IssuedTokens>;
  subscriptions(): SimSubscription[];
  counters(): {
    counters: Record<string, number>;
    routes: Record<string, number>;
    subscriptionsAlive: number;
  };
  /** Resolves when every queued delivery has been attempted. */
  deliveriesSettled(): Promise<void>;
}

/** Builds the control surface over the running parts. */
export function createSimulatorControl(parts: SimulatorParts): SimulatorControl {
  const person = (userId: string) => {
    const user = parts.directory.findUser(userId) ?? parts.directory.findByPlaygroundId(userId);
    if (!user) throw notFound(`User '${userId}' was not found.`, 'NotFound');
    return user;
  };
  return {
    tenantId: parts.tenantId,
    clock: parts.clock,
    directory: parts.directory,
    faults: parts.faults,
    setPresence: (userId, state) => parts.presence.set(person(userId).id, state, 'manual'),
    getPresence: (userId) => parts.presence.get(person(userId).id),
    triggerLifecycle(subscriptionId, event) {
      const subscription = parts.store.find(subscriptionId);
      if (!subscription) throw notFound(`Subscription '${subscriptionId}' was not found.`);
      if (!parts.lifecycle.send(subscription, event)) {
        throw new GraphError(409, 'Conflict', 'The subscription has no lifecycleNotificationUrl.');
      }
    },
    loseSubscription(subscriptionId) {
      const lost = parts.store.remove(subscriptionId);
      if (lost) parts.counters.increment('subscriptions.lost');
      return lost !== undefined;
    },
    revokeConsent: (userId) => parts.authority.revokeConsent(person(userId).id),
    issueToken: (request) =>
      parts.authority.issue({
        ...request,
        userId: person(request.userId).id,
        tenantId: parts.tenantId,
      }),
    subscriptions: () => parts.store.all(),
    counters: () => ({
      ...parts.counters.snapshot(),
      subscriptionsAlive: parts.store.all().filter((s) => s.expiresAt > parts.clock.now()).length,
    }),
    deliveriesSettled: () => parts.queue.idle(),
  };
}
