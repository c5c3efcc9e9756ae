import { finishAlerts } from '../store/alert-queue';
import type { OutboxAlert } from '../store/conversation-alerts';
import type { StoreExecutor } from '../store/database-schema';
import { normalizeEntraId } from '../store/entra-ids';
import { optedOutAmong } from '../store/privacy-opt-outs';
import type { LeaseHolder } from '../store/work-queue';

/**
 * The last check before sending: alerts about people who opted out after they were queued end as
 * `dropped` (OPTED_OUT); the rest are returned in order.
 */
export async function withoutOptedOutAlerts(
  db: StoreExecutor,
  holder: LeaseHolder,
  alerts: readonly OutboxAlert[],
): Promise<OutboxAlert[]> {
  const optedOut = new Set<string>();
  for (const tenantId of new Set(alerts.map((alert) => alert.tenantId))) {
    const targets = alerts.filter((a) => a.tenantId === tenantId).map((a) => a.targetId);
    for (const id of await optedOutAmong(db, tenantId, targets)) optedOut.add(`${tenantId}|${id}`);
  }
  if (optedOut.size === 0) return [...alerts];
  const isOptedOut = (alert: OutboxAlert): boolean =>
    optedOut.has(`${alert.tenantId}|${normalizeEntraId(alert.targetId)}`);
  await finishAlerts(
    db,
    holder,
    alerts.filter(isOptedOut).map((alert) => alert.id),
    { status: 'dropped', error: 'OPTED_OUT', attempted: false },
  );
  return alerts.filter((alert) => !isOptedOut(alert));
}
