import type { BackoffPolicy } from '../backoff/backoff';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import {
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
import { alertActivity } from './alert-card';
import { coalesceAlerts, type CoalescedCard } from './alert-coalescing';
import { handleAlertSendFailure, type AlertSendFailureDeps } from './alert-send-failure';
import type { SendToConversation } from './bot-connector-sender';
import type { ConversationPacer } from './conversation-pacer';
import { withoutOptedOutAlerts } from './opted-out-alerts';

/** How a conversation's alerts are sent, retried and leased. */
export interface DeliveryOptions {
  readonly owner: string;
  readonly leaseMs: number;
  /** Failed sends (any retryable failure, 429 included) before an alert ends as `failed`. */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  readonly maxChangesPerCard: number;
}

/** What delivering a conversation needs. */
export interface ConversationDeliveryDeps {
  readonly db: StoreExecutor;
  readonly send: SendToConversation;
  readonly pacer: ConversationPacer;
  readonly now: () => number;
  readonly random: () => number;
  readonly options: DeliveryOptions;
  /** Forgets a conversation that is gone (403/404) with its watches, and tells the keeper. */
  readonly watches: AlertSendFailureDeps['watches'];
  /** Told after a card reached Teams and its alerts were marked sent (metrics). */
  readonly onCardSent?: (card: CoalescedCard, sentAt: number) => void;
}

/**
 * Delivers one conversation's claimed alerts: drops them when the conversation is unknown or they
 * net to nothing, coalesces the rest into cards and sends them in order within Teams' pacing,
 * renewing the leases before each card (but the first of a claim under a quarter of a lease old)
 * and stopping when another instance took them over. Failures are handled by alert-send-failure.
 */
export class ConversationDelivery {
  private readonly failureDeps: AlertSendFailureDeps;

  constructor(
    private readonly deps: ConversationDeliveryDeps,
    private readonly log: Logger,
  ) {
    this.failureDeps = {
      db: deps.db,
      log,
      owner: deps.options.owner,
      now: () => deps.now(),
      random: () => deps.random(),
      maxAttempts: deps.options.maxAttempts,
      backoff: deps.options.backoff,
      send: deps.send,
      watches: deps.watches,
    };
  }

  /** Sends a conversation's claimed alerts as cards, in order; resolves to how many cards went out. */
  async deliver(
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
