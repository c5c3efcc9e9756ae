import { createBackgroundLoop, type BackgroundLoop } from '../background/background-loop';
import type { Timers } from '../background/timers';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import {
  nextAlertDueAt,
  claimDueAlerts,
  extendAlertLeases,
  finishAlerts,
  markAlertsSent,
  rescheduleAlerts,
} from '../store/alert-queue';
import type { OutboxAlert } from '../store/conversation-alerts';
import {
  getConversationReference,
  type StoredConversation,
} from '../store/conversation-references';
import type { LeaseHolder } from '../store/work-queue';
import type { BackoffPolicy } from '../backoff/backoff';
import { alertActivity } from './alert-card';
import { coalesceAlerts, type CoalescedCard } from './alert-coalescing';
import { withoutOptedOutAlerts } from './opted-out-alerts';
import { handleAlertSendFailure, type AlertSendFailureDeps } from './alert-send-failure';
import type { SendToConversation } from './bot-connector-sender';
import type { ConversationPacer } from './conversation-pacer';

/** How the sender claims, retries and sleeps. */
export interface AlertSenderOptions {
  readonly owner: string;
  readonly conversationsPerClaim: number;
  readonly leaseMs: number;
  /** Longest sleep between passes when nothing is due. */
  readonly pollIntervalMs: number;
  /** Shortest sleep after a pass that claimed nothing: the loop never spins. */
  readonly idleFloorMs: number;
  /** Failed sends (any retryable failure, 429 included) before an alert ends as `failed`. */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly maxChangesPerCard: number;
}

/** What the sender needs; the composition root passes real ones, tests pass fakes at the edges. */
export interface AlertSenderDeps {
  readonly db: StoreExecutor;
  readonly logger: Logger;
  readonly send: SendToConversation;
  readonly pacer: ConversationPacer;
  readonly now: () => number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly options: AlertSenderOptions;
  /** Forgets a conversation that is gone (403/404) with its watches, and tells the keeper. */
  readonly watches: AlertSendFailureDeps['watches'];
  /** Told after a card reached Teams and its alerts were marked sent (metrics). */
  readonly onCardSent?: (card: CoalescedCard, sentAt: number) => void;
  /** Called after every pass of the running loop (a health heartbeat). */
  readonly onPass?: () => void;
}

/** What one pass did, and when the next one should run. */
export interface SenderPass {
  readonly claimed: number;
  readonly sent: number;
  readonly nextWakeAt: number;
}

/**
 * Delivers the alert outbox: claims due conversations, coalesces each one's alerts into cards,
 * paces them within Teams limits and sends them in order. 429 waits for Retry-After, 412/5xx and
 * network failures back off exponentially (bounded), 403/404 forgets the conversation. Delivery
 * is at least once: a crash after the connector accepted a card and before the commit resends it.
 */
export class AlertSender {
  private readonly log: Logger;
  private readonly failureDeps: AlertSendFailureDeps;
  private readonly loop: BackgroundLoop;
  /** When the next pass is planned; infinite while a pass runs or after one failed. */
  private plannedAt = Number.POSITIVE_INFINITY;

  constructor(private readonly deps: AlertSenderDeps) {
    this.log = deps.logger.child({ module: 'alert-sender' });
    this.failureDeps = {
      db: deps.db,
      log: this.log,
      owner: deps.options.owner,
      now: () => deps.now(),
      random: () => deps.random(),
      maxAttempts: deps.options.maxAttempts,
      backoff: deps.options.backoff,
      send: deps.send,
      watches: deps.watches,
    };
    this.loop = createBackgroundLoop({
      pass: async () => {
        this.plannedAt = Number.POSITIVE_INFINITY;
        const { nextWakeAt } = await this.runOnce();
        this.plannedAt = nextWakeAt;
        return nextWakeAt - deps.now();
      },
      pollIntervalMs: deps.options.pollIntervalMs,
      timers: deps.timers,
      logger: this.log,
      failureMessage: 'alert sender pass failed',
      ...(deps.onPass ? { onPass: deps.onPass } : {}),
    });
  }

  /** Starts the loop. */
  start(): void {
    this.loop.start();
  }

  /** Stops the loop and waits for the pass in flight. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Runs a pass now, or right after the one in flight (new alerts were queued). */
  wake(): void {
    this.loop.wake();
  }

  /** New alerts due at `dueAt` were queued: wakes the loop unless a pass is already planned by then. */
  alertsQueued(dueAt: number): void {
    if (dueAt < this.plannedAt) this.loop.wake();
  }

  /** One pass: claim, deliver every claimed conversation, and say when to run next. */
  async runOnce(): Promise<SenderPass> {
    const { db, options } = this.deps;
    const now = this.deps.now();
    const alerts = await claimDueAlerts(db, {
      owner: options.owner,
      limit: options.conversationsPerClaim,
      leaseMs: options.leaseMs,
      now,
    });
    const conversations = byConversation(alerts);
    const sent = await Promise.all(
      [...conversations].map(([id, group]) => this.deliver(id, group)),
    );
    this.deps.pacer.prune(this.deps.now());
    return {
      claimed: alerts.length,
      sent: sent.reduce((a, b) => a + b, 0),
      nextWakeAt: await this.nextWakeAt(conversations.size),
    };
  }

  private async nextWakeAt(conversations: number): Promise<number> {
    const now = this.deps.now();
    const { conversationsPerClaim, idleFloorMs, pollIntervalMs } = this.deps.options;
    if (conversations >= conversationsPerClaim) return now;
    const due = (await nextAlertDueAt(this.deps.db)) ?? Number.POSITIVE_INFINITY;
    if (conversations > 0 && due <= now) return now;
    return Math.min(now + pollIntervalMs, Math.max(due, now + idleFloorMs));
  }

  private async deliver(conversationId: string, claimed: OutboxAlert[]): Promise<number> {
    const { db } = this.deps;
    const conversation = await getConversationReference(db, conversationId);
    if (!conversation) {
      const ids = claimed.map((alert) => alert.id);
      const ending = {
        status: 'dropped',
        error: 'NO_CONVERSATION_REFERENCE',
        attempted: false,
      } as const;
      await finishAlerts(db, this.holder(), ids, ending);
      return 0;
    }
    const alerts = await withoutOptedOutAlerts(db, this.holder(), claimed);
    const { cards, unchangedIds } = coalesceAlerts(alerts, this.deps.options.maxChangesPerCard);
    const unchanged = { status: 'dropped', error: 'NO_NET_CHANGE', attempted: false } as const;
    await finishAlerts(db, this.holder(), unchangedIds, unchanged);
    const attemptsOf = new Map(alerts.map((alert) => [alert.id, alert.attempts]));
    let sent = 0;
    for (const [index, card] of cards.entries()) {
      const remaining = cards.slice(index).flatMap((c) => c.alertIds);
      if (!(await this.keepLeases(conversationId, remaining))) return sent;
      const grantedAt = this.deps.now();
      const decision = this.deps.pacer.take(conversationId, conversation.tenantId, grantedAt);
      if (!decision.granted) {
        await rescheduleAlerts(db, this.holder(), {
          conversationId,
          ids: remaining,
          retryAt: decision.retryAt,
          attempted: false,
          error: null,
        });
        return sent;
      }
      const attempts = Math.max(0, ...card.alertIds.map((id) => attemptsOf.get(id) ?? 0));
      const later = cards.slice(index + 1).flatMap((c) => c.alertIds);
      if (!(await this.sendCard(conversation, card, later, attempts, grantedAt))) return sent;
      sent += 1;
    }
    return sent;
  }

  private async sendCard(
    conversation: StoredConversation,
    card: CoalescedCard,
    later: number[],
    attempts: number,
    grantedAt: number,
  ): Promise<boolean> {
    try {
      await this.sendPaced(conversation, card, grantedAt);
    } catch (error) {
      const ids = { failed: card.alertIds, later };
      await handleAlertSendFailure(
        this.failureDeps,
        conversation.conversationId,
        ids,
        attempts + 1,
        error,
      );
      return false;
    }
    const sentAt = this.deps.now();
    const marked = await markAlertsSent(
      this.deps.db,
      { ...this.holder(), now: sentAt },
      card.alertIds,
    );
    if (marked.lost.length > 0) {
      this.log.warn(
        { conversationId: conversation.conversationId, alerts: marked.lost.length },
        'a card was sent after our lease on its alerts was lost; the new holder may send it again',
      );
    }
    this.deps.onCardSent?.(card, sentAt);
    return true;
  }

  /**
   * Extends our leases on a conversation's remaining alerts before the next send; when another
   * instance has taken any of them over (our lease had expired), we stop and free the rest at once.
   */
  private async keepLeases(conversationId: string, ids: number[]): Promise<boolean> {
    const holder = this.holder();
    const { db, options } = this.deps;
    const kept = await extendAlertLeases(db, holder, ids, options.leaseMs);
    if (kept.lost.length === 0) return true;
    this.log.warn(
      { conversationId, alerts: kept.lost.length },
      'alerts were re-claimed by another instance after our lease expired; left to it',
    );
    await rescheduleAlerts(db, holder, {
      conversationId,
      ids: kept.held,
      retryAt: holder.now,
      attempted: false,
      error: null,
    });
    return false;
  }

  private holder(): LeaseHolder {
    return { owner: this.deps.options.owner, now: this.deps.now() };
  }

  private async sendPaced(
    conversation: StoredConversation,
    card: CoalescedCard,
    grantedAt: number,
  ): Promise<void> {
    try {
      await this.deps.send(conversation.reference, alertActivity(card.changes, card.alertIds));
    } finally {
      const { conversationId, tenantId } = conversation;
      this.deps.pacer.settle(conversationId, tenantId, grantedAt, this.deps.now());
    }
  }
}

function byConversation(alerts: readonly OutboxAlert[]): Map<string, OutboxAlert[]> {
  const groups = new Map<string, OutboxAlert[]>();
  for (const alert of alerts) {
    const group = groups.get(alert.conversationId) ?? [];
    group.push(alert);
    groups.set(alert.conversationId, group);
  }
  return groups;
}
