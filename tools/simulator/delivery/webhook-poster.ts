import type { ChangeNotificationBatch } from '../../../src/notifications/receiver/notification-envelope';

/** Graph's limit for answering a notification POST. */
export const DELIVERY_TIMEOUT_MS = 3_000;

/** How one POST to a webhook went. */
export type PostOutcome =
  | { ok: true; status: number }
  | { ok: false; status: number | undefined; reason: 'status' | 'timeout' | 'network' };

/** POSTs one notification batch as JSON; anything but 2xx within `timeoutMs` is a failure. */
export async function postNotificationBatch(
  url: string,
  batch: ChangeNotificationBatch,
  timeoutMs: number,
): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    if (response.status >= 200 && response.status < 300)
      return { ok: true, status: response.status };
    return { ok: false, status: response.status, reason: 'status' };
  } catch (error) {
    const timedOut =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { ok: false, status: undefined, reason: timedOut ? 'timeout' : 'network' };
  }
}
