import { createBackgroundLoop, type BackgroundLoop } from '../background/background-loop';
import type { Timers } from '../background/timers';
import type { Logger } from '../logging/logger';
import { claimDueAlerts, nextAlertDueAt } from '../store/alert-queue';
import type { OutboxAlert } from '../store/conversation-alerts';
import {
  ConversationDelivery,
  type ConversationDeliveryDeps,
  type DeliveryOptions,
} from './conversation-delivery';

/** How the sender claims, retries and sleeps. */
export interface AlertSenderOptions extends DeliveryOptions {
  readonly conversationsPerClaim: number;
  /** Longest sleep between passes when nothing is due. */
  readonly pollIntervalMs: number;
  /** Shortest sleep after a pass that claimed nothing: the loop never spins. */
  readonly idleFloorMs: number;
}

/** What the sender needs; the composition root passes real ones, tests pass fakes at the edges. */
export interface AlertSenderDeps extends ConversationDeliveryDeps {
  readonly logger: Logger;
  readonly timers: Timers;
  readonly options: AlertSenderOptions;
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
  private readonly delivery: ConversationDelivery;
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
    this.delivery = new ConversationDelivery(deps, this.log);
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
    const deliveries = groups.map(([id, group]) =>
      this.track(this.delivery.deliver(id, group, claimedAt)),
    );
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
