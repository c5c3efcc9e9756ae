/** At most `count` sends in any window of `windowMs`. */
export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
}

/** Teams' limits for one bot in one conversation: 7/1 s, 8/2 s, 60/30 s, 1,800/hour. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateLimit[] = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];

/** Teams' limit for one app in one tenant: about 50 requests a second. */
export const TEAMS_TENANT_LIMITS: readonly RateLimit[] = [{ count: 50, windowMs: 1_000 }];

/** The pacer's answer: send now (the send is recorded), or not before `retryAt`. */
export type PacerDecision =
  { readonly granted: true } | { readonly granted: false; readonly retryAt: number };

/** Send times within the longest window, oldest first. */
class SendLog {
  readonly times: number[] = [];
  private readonly horizonMs: number;
  private readonly keep: number;

  constructor(private readonly limits: readonly RateLimit[]) {
    this.horizonMs = Math.max(0, ...limits.map((limit) => limit.windowMs));
    this.keep = Math.max(0, ...limits.map((limit) => limit.count));
  }

  /** The earliest time a send is allowed by every limit (now when it is allowed now). */
  earliestAt(now: number): number {
    let earliest = now;
    for (const limit of this.limits) {
      const recent = this.times.filter((time) => time > now - limit.windowMs);
      if (recent.length >= limit.count) {
        const blocking = recent[recent.length - limit.count] ?? now;
        earliest = Math.max(earliest, blocking + limit.windowMs);
      }
    }
    return earliest;
  }

  record(now: number): void {
    this.times.push(now);
    while (
      this.times.length > this.keep ||
      (this.times[0] !== undefined && this.times[0] <= now - this.horizonMs)
    ) {
      this.times.shift();
    }
  }

  /** Moves one send recorded at `grantedAt` to `settledAt`, keeping the times in order. */
  move(grantedAt: number, settledAt: number): void {
    const index = this.times.lastIndexOf(grantedAt);
    if (index >= 0) this.times.splice(index, 1);
    const later = this.times.findIndex((time) => time > settledAt);
    this.times.splice(later < 0 ? this.times.length : later, 0, settledAt);
  }

  idleSince(now: number): boolean {
    const last = this.times[this.times.length - 1];
    return last === undefined || last <= now - this.horizonMs;
  }
}

/** How often idle send logs are forgotten: pruning walks every conversation seen in the last hour. */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Paces sends with exact sliding windows, per conversation and per tenant: a send is granted only
 * when no window of any limit would then hold more than its count. Pure: the caller passes the time.
 * (Sliding windows, unlike refilling token buckets, can never burst past a limit at a window edge.)
 */
export class ConversationPacer {
  private readonly conversations = new Map<string, SendLog>();
  private readonly tenants = new Map<string, SendLog>();
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly conversationLimits: readonly RateLimit[] = TEAMS_CONVERSATION_LIMITS,
    private readonly tenantLimits: readonly RateLimit[] = TEAMS_TENANT_LIMITS,
  ) {}

  /** Grants and records one send to a conversation at `now`, or says when to come back. */
  take(conversationId: string, tenantId: string, now: number): PacerDecision {
    const conversation = this.logOf(this.conversations, conversationId, this.conversationLimits);
    const tenant = this.logOf(this.tenants, tenantId, this.tenantLimits);
    const retryAt = Math.max(conversation.earliestAt(now), tenant.earliestAt(now));
    if (retryAt > now) return { granted: false, retryAt };
    conversation.record(now);
    tenant.record(now);
    return { granted: true };
  }

  /**
   * Moves a granted send from its grant time to when it ended (answered or failed): the service
   * received it somewhere in between, so counting from the end keeps its windows within the limits
   * however long the request took to leave this process.
   */
  settle(conversationId: string, tenantId: string, grantedAt: number, settledAt: number): void {
    this.logOf(this.conversations, conversationId, this.conversationLimits).move(
      grantedAt,
      settledAt,
    );
    this.logOf(this.tenants, tenantId, this.tenantLimits).move(grantedAt, settledAt);
  }

  /** Forgets conversations and tenants with no send inside their longest window (once a minute at most). */
  prune(now: number): void {
    if (now - this.prunedAt < PRUNE_INTERVAL_MS) return;
    this.prunedAt = now;
    for (const logs of [this.conversations, this.tenants]) {
      for (const [key, log] of logs) if (log.idleSince(now)) logs.delete(key);
    }
  }

  private logOf(logs: Map<string, SendLog>, key: string, limits: readonly RateLimit[]): SendLog {
    const existing = logs.get(key);
    if (existing) return existing;
    const created = new SendLog(limits);
    logs.set(key, created);
    return created;
  }
}
