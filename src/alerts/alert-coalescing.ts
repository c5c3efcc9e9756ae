import type { AlertKind, OutboxAlert } from '../store/conversation-alerts';
import type { PresenceValue } from '../store/presence-change-queue';

/** One person's net change across the alerts queued together for a conversation. */
export interface NetChange {
  readonly targetId: string;
  readonly targetName: string;
  readonly kind: AlertKind;
  readonly from: PresenceValue;
  readonly to: PresenceValue;
  readonly observedAt: number;
}

/** One card to send: the net changes it lists and the outbox alerts it delivers. */
export interface CoalescedCard {
  readonly changes: NetChange[];
  readonly alertIds: number[];
}

/** A conversation's queued alerts, turned into cards (in order) and alerts with no net change. */
export interface CoalescedAlerts {
  readonly cards: CoalescedCard[];
  readonly unchangedIds: number[];
}

interface TargetRun {
  readonly alerts: OutboxAlert[];
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Merges one conversation's alerts (in id order) into cards of at most `maxChangesPerCard`
 * people: each person's alerts become one net change (first `from` → last `to`); a person who
 * ended where they started (flapping) produces nothing.
 */
export function coalesceAlerts(
  alerts: readonly OutboxAlert[],
  maxChangesPerCard: number,
): CoalescedAlerts {
  const runs = new Map<string, TargetRun>();
  for (const alert of alerts) {
    const run = runs.get(alert.targetId) ?? { alerts: [] };
    run.alerts.push(alert);
    runs.set(alert.targetId, run);
  }
  const entries: Array<{ change: NetChange; ids: number[] }> = [];
  const unchangedIds: number[] = [];
  for (const run of runs.values()) {
    const ids = run.alerts.map((alert) => alert.id);
    const change = netChangeOf(run.alerts);
    if (change) entries.push({ change, ids });
    else unchangedIds.push(...ids);
  }
  const cards: CoalescedCard[] = [];
  const size = Math.max(1, maxChangesPerCard);
  for (let start = 0; start < entries.length; start += size) {
    const slice = entries.slice(start, start + size);
    cards.push({ changes: slice.map((e) => e.change), alertIds: slice.flatMap((e) => e.ids) });
  }
  return { cards, unchangedIds };
}

function netChangeOf(alerts: readonly OutboxAlert[]): NetChange | null {
  const first = alerts[0]?.payload;
  const last = alerts[alerts.length - 1]?.payload;
  if (!first || !last) return null;
  const base = {
    targetId: first.targetId,
    targetName: last.targetName,
    from: first.from,
    to: last.to,
    observedAt: last.observedAt,
  };
  if (alerts.some((alert) => alert.payload.kind === 'availability')) {
    if (!same(first.from.availability, last.to.availability))
      return { ...base, kind: 'availability' };
  }
  const activityAlerts = alerts.some((alert) => alert.payload.kind === 'activity');
  if (activityAlerts && !same(first.from.activity, last.to.activity))
    return { ...base, kind: 'activity' };
  return null;
}
