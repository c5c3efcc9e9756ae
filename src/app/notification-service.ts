import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import type { Timers } from '../background/timers';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import type { AppMetrics } from '../metrics';
import {
  createContentDecryptor,
  type ContentDecryptor,
} from '../notifications/crypto/decrypt-pool';
import type { KeyRing } from '../notifications/keys/key-ring';
import {
  createSubscriptionGate,
  type SubscriptionSecrets,
  type SubscriptionGate,
} from '../notifications/receiver/subscription-gate';
import {
  createInboxWorker,
  type InboxWorker,
  type NotificationEventSink,
} from '../notifications/processing/inbox-worker';
import {
  createNotificationProcessor,
  type NotificationProcessor,
} from '../notifications/processing/notification-processor';
import {
  createGroupCommitInbox,
  registerNotificationRoutes,
  type InboxWriter,
} from '../notifications/receiver/notification-routes';
import { remoteKeySet } from '../notifications/tokens/jwks-sources';
import { createValidationTokenVerifier } from '../notifications/tokens/validation-token-verifier';
import type { StoreDatabase } from '../store/open-database';
import type { SourceRateLimit } from '../server/source-rate-limit';
import { listGraphSubscriptionIds } from '../store/subscription-secrets';

/** What the notification service is assembled from. */
export interface NotificationServiceDeps {
  config: Config;
  store: StoreDatabase;
  keyRing: KeyRing;
  secrets: SubscriptionSecrets;
  /** The receiver's gate; by default our stored subscriptions and their clientStates. */
  gate?: SubscriptionGate;
  /** The receiver's per-source budget for dropped items (default: the route's own). */
  rateLimit?: SourceRateLimit;
  sink: NotificationEventSink;
  server: Server;
  logger: Logger;
  now: () => number;
  /** The worker's lease owner name (default a random one). */
  leaseOwner?: string;
  /** Counts items stored and the worker's verdicts (none when absent). */
  metrics?: AppMetrics;
  /** Called after every pass of the inbox worker (a health heartbeat). */
  onPass?: () => void;
  /** Told after presence events were handed to the sink and committed (wakes the alert fan-out). */
  onPresenceCommitted?: () => void;
  /** The timers the inbox worker sleeps with (default real ones). */
  timers?: Timers;
}

/** The running receiver and worker. */
export interface NotificationService {
  worker: InboxWorker;
  stop(): Promise<void>;
}

/** Wires the webhook routes to the inbox and starts the worker that drains it. */
export function startNotificationService(deps: NotificationServiceDeps): NotificationService {
  const decryptor: ContentDecryptor = createContentDecryptor({
    keyRing: deps.keyRing,
    threads: deps.config.notifications.workerThreads,
  });
  const processor = countingVerdicts(
    deps.metrics,
    createNotificationProcessor({
      verifier: createValidationTokenVerifier({
        keySet: remoteKeySet(deps.config.notifications.jwksUrl),
        audiences: deps.config.notifications.audiences,
        now: () => new Date(deps.now()),
        logger: deps.logger,
      }),
      decryptor,
      secrets: deps.secrets,
    }),
  );
  const worker = createInboxWorker({
    db: deps.store.db,
    processor,
    sink: deps.sink,
    logger: deps.logger,
    owner: deps.leaseOwner ?? `worker-${randomUUID()}`,
    now: deps.now,
    ...(deps.onPass ? { onPass: deps.onPass } : {}),
    ...(deps.timers ? { timers: deps.timers } : {}),
    onCommitted: (events) => {
      if (events.some((event) => event.type === 'presence')) deps.onPresenceCommitted?.();
    },
  });
  registerNotificationRoutes(deps.server, {
    inbox: countingStored(deps.metrics, createGroupCommitInbox(deps.store.db)),
    gate:
      deps.gate ??
      createSubscriptionGate({
        secrets: deps.secrets,
        listSubscriptionIds: () => listGraphSubscriptionIds(deps.store.db),
        now: deps.now,
      }),
    ...(deps.rateLimit ? { rateLimit: deps.rateLimit } : {}),
    maxBodyBytes: deps.config.notifications.maxBodyBytes,
    logger: deps.logger,
    now: deps.now,
    onStored: () => worker.wake(),
  });
  worker.start();
  return {
    worker,
    async stop() {
      await worker.stop();
      await decryptor.close();
    },
  };
}

function countingVerdicts(
  metrics: AppMetrics | undefined,
  processor: NotificationProcessor,
): NotificationProcessor {
  if (!metrics) return processor;
  return {
    async processBatch(items, validationTokens) {
      const outcomes = await processor.processBatch(items, validationTokens);
      metrics.notificationVerdicts(
        outcomes.map((outcome) =>
          outcome.status === 'verified'
            ? { status: 'verified' }
            : { status: outcome.status, code: outcome.error.code },
        ),
      );
      return outcomes;
    },
  };
}

function countingStored(metrics: AppMetrics | undefined, inbox: InboxWriter): InboxWriter {
  if (!metrics) return inbox;
  return {
    async append(envelope, receivedAt) {
      const result = await inbox.append(envelope, receivedAt);
      metrics.notificationsStored(result.inserted);
      return result;
    },
  };
}
