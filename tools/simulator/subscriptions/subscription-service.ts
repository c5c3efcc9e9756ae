import { randomUUID } from 'node:crypto';
import { GraphError, invalidRequest, notFound } from '../http/graph-error';
import type { GraphCaller } from '../graph/request-auth';
import type { SimClock } from '../sim-clock';
import type { SimSubscription } from './sim-subscription';
import {
  readExpiration,
  readSubscriptionDraft,
  webhookUrl,
  type SubscriptionDraft,
} from './subscription-request';
import type { SubscriptionStore } from './subscription-store';
import { validateEndpoint } from './validation-handshake';

/** Settings and collaborators of the subscription service. */
export interface SubscriptionServiceDeps {
  store: SubscriptionStore;
  clock: SimClock;
  handshakeTimeoutMs: number;
  /** When given, a resource naming an id this does not know is refused with 400. */
  knowsUser?: (id: string) => boolean;
  onCreated?: (subscription: SimSubscription) => void;
  onRemoved?: (subscription: SimSubscription, reason: 'deleted' | 'expired' | 'removed') => void;
}

/** Graph's subscription operations, with its presence rules. */
export interface SubscriptionService {
  create(caller: GraphCaller, body: Record<string, unknown>): Promise<SimSubscription>;
  get(caller: GraphCaller, id: string): SimSubscription;
  list(caller: GraphCaller): SimSubscription[];
  update(caller: GraphCaller, id: string, body: Record<string, unknown>): Promise<SimSubscription>;
  remove(caller: GraphCaller, id: string): void;
  reauthorize(caller: GraphCaller, id: string): void;
  /** Removes every subscription whose expiration has passed; returns them. */
  sweepExpired(): SimSubscription[];
  /** Removes a subscription without a caller (lifecycle `subscriptionRemoved`). */
  drop(id: string): SimSubscription | undefined;
}

function conflict(): GraphError {
  return new GraphError(
    409,
    'ExtensionError',
    'Operation: Create; Exception: [Status Code: Conflict; Reason: A presence subscription for this user and application already exists.]',
  );
}

function refuseUnknownIds(draft: SubscriptionDraft, knowsUser: (id: string) => boolean): void {
  const unknown = draft.userIds.filter((id) => !knowsUser(id));
  if (unknown.length === 0) return;
  const listed = unknown.slice(0, 5).map((id) => `'${id}'`);
  throw invalidRequest(
    `The resource names ${unknown.length} user id(s) that do not exist: ${listed.join(', ')}.`,
  );
}

function toSubscription(draft: SubscriptionDraft, caller: GraphCaller): SimSubscription {
  const { userIds, ...rest } = draft;
  return {
    ...rest,
    id: randomUUID(),
    applicationId: caller.appId,
    creatorId: caller.userId,
    tenantId: caller.tenantId,
    userIds: new Set(userIds.map((id) => id.toLowerCase())),
    tokenExpiresAt: caller.expiresAt,
    reauthorizationSentFor: undefined,
  };
}

/** Builds the subscription service over a store and the simulator clock. */
export function createSubscriptionService(deps: SubscriptionServiceDeps): SubscriptionService {
  const { store, clock } = deps;
  const pending = new Set<string>();

  const owned = (caller: GraphCaller, id: string): SimSubscription => {
    const found = store.find(id);
    if (!found || found.applicationId !== caller.appId || found.expiresAt <= clock.now()) {
      throw notFound(`The object was not found: subscription '${id}'.`);
    }
    return found;
  };

  const validateEndpoints = async (draft: SubscriptionDraft): Promise<void> => {
    await validateEndpoint(draft.notificationUrl, deps.handshakeTimeoutMs);
    if (draft.lifecycleNotificationUrl) {
      await validateEndpoint(draft.lifecycleNotificationUrl, deps.handshakeTimeoutMs);
    }
  };

  const refreshAuthorization = (subscription: SimSubscription, caller: GraphCaller): void => {
    if (caller.userId !== subscription.creatorId) return;
    if (caller.expiresAt === subscription.tokenExpiresAt) return;
    subscription.tokenExpiresAt = caller.expiresAt;
    subscription.reauthorizationSentFor = undefined;
  };

  return {
    async create(caller, body) {
      const draft = readSubscriptionDraft(body, clock.now());
      if (deps.knowsUser) refuseUnknownIds(draft, deps.knowsUser);
      const key = `${caller.userId}|${caller.appId}`;
      if (store.findForUser(caller.userId, caller.appId) || pending.has(key)) throw conflict();
      pending.add(key);
      try {
        await validateEndpoints(draft);
        if (store.findForUser(caller.userId, caller.appId)) throw conflict();
        const subscription = toSubscription(draft, caller);
        store.add(subscription);
        deps.onCreated?.(subscription);
        return subscription;
      } finally {
        pending.delete(key);
      }
    },
    get: owned,
    list: (caller) =>
      store.all().filter((s) => s.applicationId === caller.appId && s.expiresAt > clock.now()),
    async update(caller, id, body) {
      const subscription = owned(caller, id);
      if (body.lifecycleNotificationUrl !== undefined) {
        throw new GraphError(
          400,
          'InvalidRequest',
          'lifecycleNotificationUrl can only be set when the subscription is created.',
        );
      }
      const expiresAt =
        body.expirationDateTime === undefined
          ? undefined
          : readExpiration(body.expirationDateTime, clock.now());
      if (typeof body.notificationUrl === 'string') {
        const url = webhookUrl(body.notificationUrl, 'notificationUrl');
        await validateEndpoint(url, deps.handshakeTimeoutMs);
        subscription.notificationUrl = url;
      }
      if (expiresAt !== undefined) subscription.expiresAt = expiresAt;
      refreshAuthorization(subscription, caller);
      return subscription;
    },
    remove(caller, id) {
      const subscription = owned(caller, id);
      store.remove(subscription.id);
      deps.onRemoved?.(subscription, 'deleted');
    },
    reauthorize(caller, id) {
      refreshAuthorization(owned(caller, id), caller);
    },
    sweepExpired() {
      const expired = store.all().filter((s) => s.expiresAt <= clock.now());
      for (const subscription of expired) {
        store.remove(subscription.id);
        deps.onRemoved?.(subscription, 'expired');
      }
      return expired;
    },
    drop(id) {
      const removed = store.remove(id);
      if (removed) deps.onRemoved?.(removed, 'removed');
      return removed;
    },
  };
}
