import type { Meter } from '@opentelemetry/api';

/** Upper bounds (seconds) of the alert latency histogram: from seconds to Graph's worst delays. */
const ALERT_LATENCY_BUCKETS_S = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];

/** One notification item's verdict, as the worker sees it. */
export type NotificationVerdict =
  | { readonly status: 'verified' }
  | { readonly status: 'rejected' | 'retry'; readonly code: string };

/** The events Presence Watch counts; the composition root wires them to the parts that see them. */
export interface AppMetrics {
  notificationsStored(count: number): void;
  notificationVerdicts(verdicts: readonly NotificationVerdict[]): void;
  graphCall(route: string, status: number | undefined): void;
  alertCardSent(alertCount: number, observedAt: readonly number[], sentAt: number): void;
  alertSendFailed(code: string, status: number | undefined): void;
}

/** Builds the counters and the latency histogram on `meter`. */
export function createAppMetrics(meter: Meter): AppMetrics {
  const received = meter.createCounter('presence_watch.notifications.received', {
    description: 'Notification items accepted into the inbox',
  });
  const verdicts = meter.createCounter('presence_watch.notifications.processed', {
    description: 'Notification items the worker finished, by outcome and error code',
  });
  const graphRequests = meter.createCounter('presence_watch.graph.requests', {
    description: 'Microsoft Graph operations, by route and HTTP status',
  });
  const graphThrottled = meter.createCounter('presence_watch.graph.throttled', {
    description: 'Microsoft Graph operations answered 429, by route',
  });
  const alertsSent = meter.createCounter('presence_watch.alerts.sent', {
    description: 'Alerts delivered to Teams (several may share a card)',
  });
  const sendFailures = meter.createCounter('presence_watch.alerts.send_failures', {
    description: 'Failed card sends to Teams, by error code',
  });
  const teamsThrottled = meter.createCounter('presence_watch.teams.throttled', {
    description: 'Card sends Teams answered 429',
  });
  const latency = meter.createHistogram('presence_watch.alerts.latency', {
    description: 'Seconds from the presence change being observed to its card reaching Teams',
    unit: 's',
    advice: { explicitBucketBoundaries: ALERT_LATENCY_BUCKETS_S },
  });
  return {
    notificationsStored: (count) => received.add(count),
    notificationVerdicts(items) {
      for (const item of items) {
        const code = item.status === 'verified' ? 'none' : item.code;
        verdicts.add(1, { outcome: item.status, code });
      }
    },
    graphCall(route, status) {
      graphRequests.add(1, { route, status: status === undefined ? 'none' : String(status) });
      if (status === 429) graphThrottled.add(1, { route });
    },
    alertCardSent(alertCount, observedAt, sentAt) {
      alertsSent.add(alertCount);
      for (const at of observedAt) latency.record(Math.max(0, sentAt - at) / 1000);
    },
    alertSendFailed(code, status) {
      sendFailures.add(1, { code });
      if (status === 429) teamsThrottled.add(1);
    },
  };
}
