import type { RateLimit } from '../../src/alerts/conversation-pacer';
import type { ReceivedActivity } from '../helpers/fake-bot-connector';

/** How the delivered lines of one conversation compare with the lines it should have received. */
export interface DeliveryComparison {
  /** Expected lines delivered exactly once. */
  readonly deliveredOnce: number;
  /** Delivered lines that came after a line queued later than them. */
  readonly outOfOrder: number;
}

/** Compares delivered card lines with the expected lines (in queue order) of one conversation. */
export function compareDelivery(
  expected: readonly string[],
  delivered: readonly string[],
): DeliveryComparison {
  const position = new Map(expected.map((line, index) => [line, index]));
  const seen = new Map<string, number>();
  for (const line of delivered) seen.set(line, (seen.get(line) ?? 0) + 1);
  const deliveredOnce = expected.filter((line) => seen.get(line) === 1).length;
  let outOfOrder = 0;
  let latest = -1;
  for (const line of delivered) {
    const index = position.get(line) ?? -1;
    if (index < latest) outOfOrder += 1;
    latest = Math.max(latest, index);
  }
  return { deliveredOnce, outOfOrder };
}

/** The most requests any window of `windowMs` (starting at a request) holds; times sorted ascending. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let end = 0;
  for (let start = 0; start < times.length; start += 1) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end += 1;
    most = Math.max(most, end - start);
  }
  return most;
}

/**
 * Windows that break a limit: for each limit, the requests starting a window of `windowMs - slackMs`
 * that holds more than `count` requests. The slack absorbs the time between the pacer's grant and
 * the connector's receive stamp, which differs from request to request.
 */
export function pacingViolations(
  times: readonly number[],
  limits: readonly RateLimit[],
  slackMs: number,
): string[] {
  const found: string[] = [];
  for (const limit of limits) {
    const most = maxInWindow(times, limit.windowMs - slackMs);
    if (most > limit.count) found.push(`${most} requests within ${limit.windowMs} ms`);
  }
  return found;
}

/** The receive times of requests, sorted, grouped by conversation. */
export function timesByConversation(received: readonly ReceivedActivity[]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const request of received) {
    const list = times.get(request.conversationId) ?? [];
    list.push(request.at);
    times.set(request.conversationId, list);
  }
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

/** Requests that followed a 429 in the same conversation sooner than `retryAfterMs` after it. */
export function retryAfterViolations(
  received: readonly ReceivedActivity[],
  retryAfterMs: number,
): string[] {
  const last = new Map<string, ReceivedActivity>();
  const found: string[] = [];
  for (const request of [...received].sort((a, b) => a.at - b.at)) {
    const previous = last.get(request.conversationId);
    if (previous?.status === 429 && request.at - previous.at < retryAfterMs) {
      found.push(`${request.conversationId}: ${request.at - previous.at} ms after a 429`);
    }
    last.set(request.conversationId, request);
  }
  return found;
}

/** The shortest time over which `count + 1` consecutive requests arrived (how close a limit came). */
export function tightestSpan(times: readonly number[], count: number): number {
  let tightest = Number.POSITIVE_INFINITY;
  for (let start = 0; start + count < times.length; start += 1) {
    tightest = Math.min(tightest, times[start + count]! - times[start]!);
  }
  return tightest;
}
