import { createBackgroundLoop, type BackgroundLoop } from '../background/background-loop';
import type { Timers } from '../background/timers';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import { nextAlertDueAt, type OutboxAlert } from '../store/alert-outbox';
import {
  claimDueAlerts,
  extendAlertLeases,
  finishAlerts,
  markAlertsSent,
  rescheduleAlerts,
} from '../store/alert-queue';
import {
  getConversationReference,
  type StoredConversation,
} from '../store/conversation-references';
import type { Watch } from '../store/watches';
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
  /** Told when a conversation is gone (403/404) and its watches were removed, so the keeper can shrink. */
  readonly onConversationGone?: (conversationId: string, removed: Watch[]) => void;
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
 * The running loop does not wait for a pass's sends: up to `conversationsPerClaim` conversations
 * are in flight at once, and alerts queued meanwhile are claimed while they are.
 */
export class AlertSender {
  private readonly log: Logger;
  private readonly failureDeps: AlertSendFailureDeps;
  private readonly loop: BackgroundLoop;
  /** When the next pass is planned; infinite while a pass runs or after one failed. */
  private plannedAt = Number.POSITIVE_INFINITY;
  /** The conversations being delivered, by the running loop or by `runOnce`. */
  private readonly inFlight = new Set<Promise<number>>();
  /** A pass left due alerts waiting for a conversation in flight: its end wakes the loop. */
  private waitingForInFlight = false;
  /** Deliveries ended so far: a pass during which one ended may find its conversation free. */
  private deliveriesEnded = 0;

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
      onConversationGone: (conversationId, removed) =>
        deps.onConversationGone?.(conversationId, removed),
    };
    this.loop = createBackgroundLoop({
      pass: async () => {
        this.plannedAt = Number.POSITIVE_INFINITY;
        const endedBefore = this.deliveriesEnded;
        const { conversations, full } = await this.claimAndDeliver();
        this.deps.pacer.prune(this.deps.now());
        const claimMore = full && !this.saturated();
        const nextWakeAt = await this.nextWakeAt(conversations, claimMore, endedBefore);
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

  /** Stops the loop and waits for the pass and the deliveries in flight. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.all(this.inFlight);
  }

  /** Runs a pass now, or right after the one in flight (new alerts were queued). */
  wake(): void {
    this.loop.wake();
  }

  /** New alerts due at `dueAt` were queued: wakes the loop unless a pass is already planned by then. */
  alertsQueued(dueAt: number): void {
    if (dueAt < this.plannedAt) this.loop.wake();
  }

  /** One pass: claim, deliver every claimed conversation and wait for it, and say when to run next. */
  async runOnce(): Promise<SenderPass> {
    const endedBefore = this.deliveriesEnded;
    const { claimed, conversations, full, deliveries } = await this.claimAndDeliver();
    const sent = await Promise.all(deliveries);
    this.deps.pacer.prune(this.deps.now());
    return {
      claimed,
      sent: sent.reduce((a, b) => a + b, 0),
      nextWakeAt: await this.nextWakeAt(conversations, full, endedBefore),
    };
  }

  /** Claims as many due conversations as may be in flight beside those that are, and starts them. */
  private async claimAndDeliver(): Promise<{
    claimed: number;
    conversations: number;
    full: boolean;
    deliveries: Promise<number>[];
  }> {
    const { db, options } = this.deps;
    const free = options.conversationsPerClaim - this.inFlight.size;
    if (free <= 0) return { claimed: 0, conversations: 0, full: false, deliveries: [] };
    const claimedAt = this.deps.now();
    const alerts = await claimDueAlerts(db, {
      owner: options.owner,
      limit: free,
      leaseMs: options.leaseMs,
      now: claimedAt,
    });
    const groups = [...byConversation(alerts)];
    const deliveries = groups.map(([id, group]) => this.track(this.deliver(id, group, claimedAt)));
    return {
      claimed: alerts.length,
      conversations: groups.length,
      full: groups.length >= free,
      deliveries,
    };
  }

  /** Counts a delivery in flight until it ends (a failure is logged; its alerts' leases lapse). */
  private track(delivery: Promise<number>): Promise<number> {
    const tracked: Promise<number> = delivery
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'alert delivery failed; its alerts are retried');
        return 0;
      })
      .finally(() => {
        this.inFlight.delete(tracked);
        this.deliveriesEnded += 1;
        if (!this.waitingForInFlight) return;
        this.waitingForInFlight = false;
        this.loop.wake();
      });
    this.inFlight.add(tracked);
    return tracked;
  }

  private saturated(): boolean {
    return this.inFlight.size >= this.deps.options.conversationsPerClaim;
  }

  /**
   * Now after a full claim; else when the next alert falls due, within the poll bounds. Due alerts
   * that only a conversation in flight holds back (all slots taken, or the conversation's own
   * earlier alerts) are claimed when a delivery ends, or at once when one ended during the pass.
   */
  private async nextWakeAt(
    conversations: number,
    full: boolean,
    endedBefore: number,
  ): Promise<number> {
    const now = this.deps.now();
    const { idleFloorMs, pollIntervalMs } = this.deps.options;
    if (full) return now;
    const due = (await nextAlertDueAt(this.deps.db)) ?? Number.POSITIVE_INFINITY;
    const freed = this.deliveriesEnded > endedBefore;
    if (due <= now && (freed || (conversations > 0 && !this.saturated()))) return now;
    if (due <= now && this.inFlight.size > 0) this.waitingForInFlight = true;
    return Math.min(now + pollIntervalMs, Math.max(due, now + idleFloorMs));
  }

  private async deliver(
    conversationId: string,
    claimed: OutboxAlert[],
    claimedAt: number,
  ): Promise<number> {
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
      const leaseIsFresh =
        index === 0 && this.deps.now() - claimedAt < this.deps.options.leaseMs / 4;
      if (!leaseIsFresh && !(await this.keepLeases(conversationId, remaining))) return sent;
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
   * Extends our leases on a conversation's remaining alerts before the next send (not before the
   * first one while the claim's lease is under a quarter spent); when another
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
