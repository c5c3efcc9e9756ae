import { randomUUID } from 'node:crypto';
import type { Server } from 'restify';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import {
  createContentDecryptor,
  type ContentDecryptor,
} from '../notifications/crypto/decrypt-pool';
import type { KeyRing } from '../notifications/keys/key-ring';
import type { SubscriptionSecrets } from '../notifications/processing/client-state-check';
import {
  createInboxWorker,
  type InboxWorker,
  type NotificationEventSink,
} from '../notifications/processing/inbox-worker';
import { createNotificationProcessor } from '../notifications/processing/notification-processor';
import { createGroupCommitInbox } from '../notifications/receiver/group-commit-inbox';
import { registerNotificationRoutes } from '../notifications/receiver/notification-routes';
import { remoteKeySet } from '../notifications/tokens/jwks-sources';
import { createValidationTokenVerifier } from '../notifications/tokens/validation-token-verifier';
import type { StoreDatabase } from '../store/open-database';

/** What the notification service is assembled from. */
export interface NotificationServiceDeps {
  config: Config;
  store: StoreDatabase;
  keyRing: KeyRing;
  secrets: SubscriptionSecrets;
  sink: NotificationEventSink;
  server: Server;
  logger: Logger;
  now: () => number;
  /** The worker's lease owner name (default a random one). */
  leaseOwner?: string;
  /** Called after every pass of the inbox worker (a health heartbeat). */
  onPass?: () => void;
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
  const processor = createNotificationProcessor({
    verifier: createValidationTokenVerifier({
      keySet: remoteKeySet(deps.config.notifications.jwksUrl),
      audiences: deps.config.notifications.audiences,
      now: () => new Date(deps.now()),
      logger: deps.logger,
    }),
    decryptor,
    secrets: deps.secrets,
  });
  const worker = createInboxWorker({
    db: deps.store.db,
    processor,
    sink: deps.sink,
    logger: deps.logger,
    owner: deps.leaseOwner ?? `worker-${randomUUID()}`,
    now: deps.now,
    ...(deps.onPass ? { onPass: deps.onPass } : {}),
  });
  registerNotificationRoutes(deps.server, {
    inbox: createGroupCommitInbox(deps.store.db),
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
