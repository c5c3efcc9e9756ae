import { randomUUID } from 'node:crypto';
import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { TEAMS_RETRY } from '../backoff/backoff';
import { fanOutPresenceChanges, type DisplayNameLookup } from '../alerts/alert-fanout';
import { AlertSender, type AlertSenderOptions } from '../alerts/alert-sender';
import { botConnectorSender, type SendToConversation } from '../alerts/bot-connector-sender';
import { toTeamsSendError } from '../alerts/teams-send-error';
import { ConversationPacer } from '../alerts/conversation-pacer';
import { askConversationsToSignIn } from '../alerts/sign-in-request';
import type { DelegatedTokenProvider } from '../watch/token-provider';
import type { SignInRequiredEvent } from '../watch/keeper-context';
import type { Config } from '../config/config';
import type { GraphClient } from '../graph';
import type { Logger } from '../logging/logger';
import type { AppMetrics } from '../metrics';
import type { ConversationType } from '../store/database-schema';
import { upsertConversationReference } from '../store/conversation-references';
import type { StoreDatabase } from '../store/open-database';
import { listWatches } from '../store/watches';

/** The sender settings production runs with (each instance adds its own `owner`). */
export const ALERT_SENDER_SETTINGS: Omit<AlertSenderOptions, 'owner'> = {
  conversationsPerClaim: 20,
  leaseMs: 60_000,
  pollIntervalMs: 5_000,
  idleFloorMs: 250,
  maxAttempts: 12,
  backoff: { ...TEAMS_RETRY, baseMs: 1_000, maxMs: 5 * 60_000 },
  maxChangesPerCard: 10,
};

/** The fan-out settings production runs with: batch, lease, coalescing window, idle poll. */
export const ALERT_FANOUT_SETTINGS = {
  batchSize: 100,
  leaseMs: 60_000,
  coalesceWindowMs: 2_000,
  pollMs: 1_000,
} as const;

/** What alert delivery is assembled from. */
export interface AlertServiceDeps {
  config: Config;
  store: StoreDatabase;
  adapter: CloudAdapter;
  botAppId: string;
  graph: GraphClient;
  tokens: DelegatedTokenProvider;
  logger: Logger;
  now: () => number;
  /** Watches were removed (a `once` watch fired, a conversation is gone): the keeper may shrink. */
  onWatchesRemoved(tenantIds: readonly string[]): void;
  /** The lease owner name of the fan-out and the sender (default a random one). */
  leaseOwner?: string;
  /** Counts sent cards, failed sends and Teams 429s, and records alert latency (none when absent). */
  metrics?: AppMetrics;
  /** Called after every pass of the fan-out loop and of the sender (health heartbeats). */
  passes?: { alertFanOut(): void; alertSender(): void };
}

/** Alert delivery as the rest of the app sees it. */
export interface AlertService {
  rememberConversation(reference: Partial<ConversationReference>): Promise<void>;
  askToSignIn(event: SignInRequiredEvent): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fan-out loop (presence changes → outbox) and the paced sender (outbox → Teams). */
export function startAlertService(deps: AlertServiceDeps): AlertService {
  const log = deps.logger.child({ module: 'alert-service' });
  const owner = deps.leaseOwner ?? `alerts-${randomUUID()}`;
  const send = countingFailures(
    botConnectorSender(deps.adapter, deps.botAppId, deps.now),
    deps.metrics,
    deps.now,
  );
  const sender = new AlertSender({
    db: deps.store.db,
    logger: deps.logger,
    send,
    pacer: new ConversationPacer(),
    now: deps.now,
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
    random: Math.random,
    options: { owner, ...ALERT_SENDER_SETTINGS },
    onConversationGone: (_conversationId, removed) =>
      deps.onWatchesRemoved([...new Set(removed.map((watch) => watch.tenantId))]),
    onCardSent: (card, sentAt) =>
      deps.metrics?.alertCardSent(
        card.alertIds.length,
        card.changes.map((change) => change.observedAt),
        sentAt,
      ),
    onPass: () => deps.passes?.alertSender(),
  });
  const displayNames = displayNameLookup(deps, log);
  let stopped = false;
  const fanOut = async (): Promise<void> => {
    while (!stopped) {
      deps.passes?.alertFanOut();
      try {
        const result = await fanOutPresenceChanges(deps.store, {
          owner,
          batchSize: ALERT_FANOUT_SETTINGS.batchSize,
          leaseMs: ALERT_FANOUT_SETTINGS.leaseMs,
          coalesceWindowMs: ALERT_FANOUT_SETTINGS.coalesceWindowMs,
          now: deps.now,
          displayNames,
          logger: deps.logger,
        });
        if (result.alerts > 0) sender.wake();
        if (result.removedWatches.length > 0) {
          deps.onWatchesRemoved([...new Set(result.removedWatches.map((watch) => watch.tenantId))]);
        }
        if (result.changes > 0) continue;
      } catch (error) {
        log.error({ err: error }, 'presence fan-out failed; the changes stay queued');
      }
      await new Promise((resolve) => setTimeout(resolve, ALERT_FANOUT_SETTINGS.pollMs));
    }
  };
  const loop = fanOut();
  sender.start();
  return {
    rememberConversation: (reference) => rememberConversation(deps, reference),
    askToSignIn: (event) =>
      askConversationsToSignIn(
        {
          db: deps.store.db,
          log,
          send,
          now: deps.now,
          onWatchesRemoved: (removed) =>
            deps.onWatchesRemoved([...new Set(removed.map((watch) => watch.tenantId))]),
        },
        event,
      ),
    async stop() {
      stopped = true;
      await loop;
      await sender.stop();
    },
  };
}

async function rememberConversation(
  deps: AlertServiceDeps,
  reference: Partial<ConversationReference>,
): Promise<void> {
  const conversation = reference.conversation;
  if (!conversation?.id || !reference.serviceUrl) return;
  await upsertConversationReference(
    deps.store.db,
    {
      conversationId: conversation.id,
      tenantId: conversation.tenantId ?? '',
      serviceUrl: reference.serviceUrl,
      reference,
      conversationType: conversationTypeOf(conversation.conversationType),
      name: conversation.name ?? null,
    },
    deps.now(),
  );
}

function conversationTypeOf(type: string | undefined): ConversationType {
  if (type === 'groupChat' || type === 'channel') return type;
  return 'personal';
}

function displayNameLookup(deps: AlertServiceDeps, log: Logger): DisplayNameLookup {
  const known = new Map<string, string>();
  return async (tenantId, userIds) => {
    const names = new Map<string, string>();
    for (const userId of userIds) {
      const key = `${tenantId}|${userId}`;
      const name =
        known.get(key) ?? (await lookUpName(deps, tenantId, userId).catch(() => undefined));
      if (name) {
        known.set(key, name);
        names.set(userId, name);
      }
    }
    if (names.size < userIds.length)
      log.debug({ missing: userIds.length - names.size }, 'some display names unknown');
    return names;
  };
}

async function lookUpName(
  deps: AlertServiceDeps,
  tenantId: string,
  userId: string,
): Promise<string | undefined> {
  const watchers = await listWatches(deps.store.db, { tenantId, targetId: userId });
  for (const watch of watchers) {
    const token = await deps.tokens.getToken(tenantId, watch.watcherId).catch(() => undefined);
    if (token) return (await deps.graph.getUser(token, userId)).displayName;
  }
  return undefined;
}

function countingFailures(
  send: SendToConversation,
  metrics: AppMetrics | undefined,
  now: () => number,
): SendToConversation {
  if (!metrics) return send;
  return async (reference, activity) => {
    try {
      await send(reference, activity);
    } catch (error) {
      const failure = toTeamsSendError(error, now());
      metrics.alertSendFailed(failure.code, failure.status);
      throw error;
    }
  };
}
