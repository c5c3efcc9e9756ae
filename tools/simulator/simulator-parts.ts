import type { Logger } from '../../src/logging/logger';
import { createFaultInjector, type FaultInjector } from './admin/fault-injector';
import { createDeliveryQueue, type DeliveryQueue } from './delivery/delivery-queue';
import { connectPresenceNotifications } from './delivery/presence-notifier';
import { GRAPH_RETRY_POLICY, type RetryPolicy } from './delivery/retry-policy';
import { createValidationTokenCache } from './delivery/validation-token-cache';
import { DELIVERY_TIMEOUT_MS } from './delivery/webhook-poster';
import type { Directory } from './directory/directory';
import { createAccessTokenAuthority, type AccessTokenAuthority } from './identity';
import { createLifecycleNotifier, type LifecycleNotifier } from './lifecycle/lifecycle-notifier';
import { createPresenceStore, type PresenceStore } from './presence/presence-store';
import { COMMON_PRESENCES } from './presence/presence-values';
import { seededRandom } from './seeded-random';
import type { SimClock } from './sim-clock';
import { createSimCounters, type SimCounters } from './sim-counters';
import {
  createSubscriptionService,
  type SubscriptionService,
} from './subscriptions/subscription-service';
import {
  createSubscriptionStore,
  type SubscriptionStore,
} from './subscriptions/subscription-store';
import { HANDSHAKE_TIMEOUT_MS } from './subscriptions/validation-handshake';
import { createValidationTokenIssuer, type ValidationTokenIssuer } from './validation-token-issuer';

/** Tunables of the simulated Graph (Graph's own values by default). */
export interface SimulatorTuning {
  handshakeTimeoutMs?: number;
  deliveryTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  reauthorizationLeadMs?: number;
  maxBatchSize?: number;
  batchWindowMs?: number;
  randomSeed?: number;
  /**
   * Ids the directory does not know in a presence subscription's resource: `reject` (default, the
   * strict reading: 400) or `accept`. Graph's documentation does not say.
   */
  unknownPresenceIds?: 'reject' | 'accept';
  /**
   * Put `sequenceNumber` into the encrypted presence of notifications. Off by default, as in
   * Microsoft's documented payload; the presence reads carry it either way.
   */
  notificationSequenceNumbers?: boolean;
}

/** Every stateful part of a simulator, wired together. */
export interface SimulatorParts {
  tenantId: string;
  clock: SimClock;
  directory: Directory;
  counters: SimCounters;
  presence: PresenceStore;
  authority: AccessTokenAuthority;
  issuer: ValidationTokenIssuer;
  store: SubscriptionStore;
  service: SubscriptionService;
  queue: DeliveryQueue;
  lifecycle: LifecycleNotifier;
  faults: FaultInjector;
  disconnect: () => void;
}

const DEFAULT_REAUTHORIZATION_LEAD_MS = 10 * 60 * 1000;

/** Builds and connects the parts: presence changes flow to deliveries, revocations to lifecycle events. */
export async function createSimulatorParts(
  base: { tenantId: string; clock: SimClock; directory: Directory; logger: Logger },
  tuning: SimulatorTuning,
): Promise<SimulatorParts> {
  const { clock, tenantId } = base;
  const counters = createSimCounters();
  const random = seededRandom(tuning.randomSeed ?? 20240601);
  const faults = createFaultInjector(random, counters, () => clock.speed());
  const presence = createPresenceStore(
    base.directory.listUsers().map((u) => u.id),
    COMMON_PRESENCES.available,
    () => clock.now(),
  );
  const authority = createAccessTokenAuthority({ now: () => clock.now(), tenantId });
  const issuer = await createValidationTokenIssuer();
  const store = createSubscriptionStore();
  const service = createSubscriptionService({
    store,
    clock,
    handshakeTimeoutMs: tuning.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
    knowsUser:
      tuning.unknownPresenceIds === 'accept'
        ? undefined
        : (id) => base.directory.findUser(id) !== undefined,
    onRemoved: (_subscription, reason) => counters.increment(`subscriptions.${reason}`),
    onCreated: () => counters.increment('subscriptions.created'),
  });
  const queue = createDeliveryQueue({
    clock,
    tokens: createValidationTokenCache(issuer),
    counters,
    retry: { ...GRAPH_RETRY_POLICY, ...tuning.retry },
    timeoutMs: tuning.deliveryTimeoutMs ?? DELIVERY_TIMEOUT_MS,
    maxBatchSize: tuning.maxBatchSize ?? 100,
    batchWindowMs: tuning.batchWindowMs ?? 25,
    shouldDrop: () => faults.shouldDropDelivery(),
    copyDelays: () => faults.deliveryCopyDelays(),
    logger: base.logger,
  });
  const lifecycle = createLifecycleNotifier({
    store,
    service,
    queue,
    clock,
    counters,
    reauthorizationLeadMs: tuning.reauthorizationLeadMs ?? DEFAULT_REAUTHORIZATION_LEAD_MS,
  });
  authority.onConsentRevoked((userId) => lifecycle.consentRevoked(userId));
  const disconnect = connectPresenceNotifications({
    presence,
    subscriptions: store,
    queue,
    clock,
    sequenceNumbers: tuning.notificationSequenceNumbers ?? false,
  });
  return {
    ...base,
    counters,
    presence,
    authority,
    issuer,
    store,
    service,
    queue,
    lifecycle,
    faults,
    disconnect,
  };
}
