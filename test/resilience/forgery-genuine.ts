import type { ChangeNotificationItem } from '../../src/notifications/receiver/notification-envelope';
import { presenceNotificationItem } from '../../tools/simulator/delivery/notification-items';
import type { PresenceState } from '../../tools/simulator/presence/presence-values';
import type { SimSubscription } from '../../tools/simulator/subscriptions/sim-subscription';
import type { ValidationTokenIssuer } from '../../tools/simulator/validation-token-issuer';

/** Everything a forger starts from: the real subscription, the simulator's token issuer, our app id. */
export interface GenuineSource {
  readonly subscription: SimSubscription;
  readonly issuer: ValidationTokenIssuer;
  readonly appId: string;
  /** People the subscription covers (and a conversation watches). */
  readonly users: readonly string[];
  /** Presence values a forged item claims: all differ from what the receiver last knew. */
  readonly claimedPresences: readonly PresenceState[];
  /** The receiver's clock (simulated milliseconds). */
  now(): number;
}

/** A forged body and the category it belongs to. */
export interface Forgery {
  readonly category: string;
  readonly body: Buffer;
  /** The answer the receiver must give (202, or 413 for oversize bodies). */
  readonly expectedStatus: number;
}

/** A fresh genuine rich presence item (new content key each call), as the simulator would send it. */
export function genuineItem(source: GenuineSource, index: number): ChangeNotificationItem {
  const user = source.users[index % source.users.length] ?? '';
  const presence = source.claimedPresences[index % source.claimedPresences.length];
  if (!presence) throw new RangeError('claimedPresences must not be empty');
  return presenceNotificationItem(source.subscription, user, presence);
}

/** A genuine validation token for the subscription's tenant, dated by the receiver's clock. */
export function genuineToken(
  source: GenuineSource,
  overrides?: Record<string, unknown>,
): Promise<string> {
  return source.issuer.issue({
    tenantId: source.subscription.tenantId,
    audience: source.appId,
    now: new Date(source.now()),
    ...(overrides === undefined ? {} : { overrides }),
  });
}

/** A POST body from items and (optionally) validation tokens. */
export function bodyOf(items: readonly unknown[], tokens?: readonly unknown[]): Buffer {
  const document: Record<string, unknown> = { value: items };
  if (tokens !== undefined) document.validationTokens = tokens;
  return Buffer.from(JSON.stringify(document));
}

/** A forgery answered with 202. */
export function forged(category: string, body: Buffer | string): Forgery {
  return { category, body: Buffer.isBuffer(body) ? body : Buffer.from(body), expectedStatus: 202 };
}

/** The item shapes every item-level mutation is applied to: one item each, and a batch of two. */
export const ITEM_SHAPES = [[0], [1], [2, 3]] as const;

/** A shallow copy of `record` without the named keys. */
export function without(record: object, ...keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  for (const key of keys) delete copy[key];
  return copy;
}
