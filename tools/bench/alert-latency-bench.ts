import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { ALERT_FANOUT_SETTINGS } from '../../src/app/alert-service';
import { closeLoadAgent, quantile } from './http-load';
import { startAlertRig } from './alert-rig';
import type { BenchRow } from './notification-bench';

/** How hard and how long the alert-latency run drives the app. */
export interface AlertLatencyOptions {
  readonly changesPerSecond: number;
  readonly seconds: number;
  /** Tenants the changes are spread over (Teams paces each tenant to ~50 sends/s). */
  readonly tenants: number;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities\/?$/;
const DELIVERY_WAIT_MS = 60_000;

/** A Bot Connector that stamps each conversation's first POST with `performance.now()`. */
async function startStampingConnector(): Promise<{
  serviceUrl: string;
  firstPostAt: Map<string, number>;
  close(): void;
}> {
  const firstPostAt = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const at = performance.now();
    const id = decodeURIComponent(ROUTE.exec(request.url ?? '')?.[1] ?? '');
    request.resume();
    request.on('end', () => {
      if (!firstPostAt.has(id)) firstPostAt.set(id, at);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id: `activity-${firstPostAt.size}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { serviceUrl: `http://127.0.0.1:${port}/`, firstPostAt, close: () => server.close() };
}

async function measure(
  options: AlertLatencyOptions,
  coalesceWindowMs: number,
  presenceWakes: boolean,
): Promise<{ latencies: number[]; acks: number[]; lost: number; cpuMsPerChange: number }> {
  const connector = await startStampingConnector();
  const people = options.changesPerSecond * options.seconds;
  const rig = await startAlertRig({
    people,
    tenants: options.tenants,
    serviceUrl: connector.serviceUrl,
    fanOut: { ...ALERT_FANOUT_SETTINGS, coalesceWindowMs },
    presenceWakes,
  });
  try {
    const cpuBefore = process.cpuUsage();
    const { sentAt, acks } = await notifyAtRate(rig.notify, people, options.changesPerSecond);
    const deadline = Date.now() + DELIVERY_WAIT_MS + coalesceWindowMs;
    while (connector.firstPostAt.size < people && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const latencies = sentAt.flatMap((at, person) => {
      const posted = connector.firstPostAt.get(rig.conversationOf(person));
      return posted === undefined ? [] : [posted - at];
    });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerChange = (cpu.user + cpu.system) / 1000 / people;
    return { latencies, acks, lost: people - latencies.length, cpuMsPerChange };
  } finally {
    await rig.stop();
    connector.close();
  }
}

async function notifyAtRate(
  notify: (person: number) => Promise<void>,
  people: number,
  perSecond: number,
): Promise<{ sentAt: number[]; acks: number[] }> {
  const sentAt: number[] = [];
  const acks: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = Date.now();
  for (let person = 0; person < people; person += 1) {
    const wait = started + (person * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const at = performance.now();
    sentAt.push(at);
    inFlight.push(notify(person).then(() => void acks.push(performance.now() - at)));
  }
  await Promise.all(inFlight);
  return { sentAt, acks };
}

/**
 * Alert latency from sending a notification (an upper bound of "from its 202") to the Teams
 * connector POST of its card, p50 and p99, the whole process's CPU time per change and the p99 of
 * the 202 itself (how much of the tail is the webhook's intake), at
 * a steady rate of presence changes (each to a different person, each watched in its own chat),
 * with the coalescing window at zero and at its default, with and without the wakes.
 */
export async function runAlertLatencyBench(options: AlertLatencyOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  try {
    for (const windowMs of [0, ALERT_FANOUT_SETTINGS.coalesceWindowMs]) {
      for (const wakes of [false, true]) {
        const { latencies, acks, lost, cpuMsPerChange } = await measure(options, windowMs, wakes);
        const label = `window ${windowMs} ms, ${wakes ? 'wakes (after)' : 'polling only (before)'}`;
        rows.push({
          figure: `p50 / p99, ${label}`,
          value: `${quantile(latencies, 0.5).toFixed(1)} / ${quantile(latencies, 0.99).toFixed(1)} ms (${lost} lost, CPU ${cpuMsPerChange.toFixed(2)} ms a change, the webhook's 202 p99 ${quantile(acks, 0.99).toFixed(1)} ms)`,
          target: windowMs === 0 && wakes ? 'p50 ≤ 25 ms, p99 ≤ 250 ms' : '',
        });
      }
    }
  } finally {
    closeLoadAgent();
  }
  return rows;
}
