import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors/app-error';
import { clientStateDigest } from './notification-envelope';

/** Finds the clientState secret we gave Graph for a subscription, if we know the subscription. */
export interface SubscriptionSecrets {
  clientStateFor(subscriptionId: string): Promise<string | undefined>;
}

/** A lookup that expects the same clientState for every subscription (the CLI's `--client-state`). */
export function fixedClientState(clientState: string): SubscriptionSecrets {
  return { clientStateFor: async () => clientState };
}

/** What the gate reads: the ids of our live Graph subscriptions and their clientState secrets. */
export interface SubscriptionGateDeps {
  secrets: SubscriptionSecrets;
  listSubscriptionIds(): Promise<readonly string[]>;
  now: () => number;
  /** The least time between two re-reads of the id list caused by unknown ids (default 1 s). */
  minRefreshMs?: number;
}

/**
 * The receiver's cheap check before the durable write: is the item's subscription one of ours,
 * and does its clientState digest match? Answers from memory; an unknown id re-reads the id list
 * at most once per `minRefreshMs`, so a flood of forged ids costs one small read a second.
 */
export interface SubscriptionGate {
  admits(subscriptionId: string | null, receivedDigest: unknown): Promise<boolean>;
}

/** Builds the in-memory subscription gate. */
export function createSubscriptionGate(deps: SubscriptionGateDeps): SubscriptionGate {
  const minRefreshMs = deps.minRefreshMs ?? 1_000;
  const digests = new Map<string, Buffer>();
  let known = new Set<string>();
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    refreshing ??= deps
      .listSubscriptionIds()
      .then((ids) => {
        known = new Set(ids);
        for (const id of digests.keys()) if (!known.has(id)) digests.delete(id);
      })
      .finally(() => {
        refreshedAt = deps.now();
        refreshing = undefined;
      });
    return refreshing;
  };

  const digestOf = async (subscriptionId: string): Promise<Buffer | undefined> => {
    const cached = digests.get(subscriptionId);
    if (cached) return cached;
    if (!known.has(subscriptionId) && deps.now() - refreshedAt >= minRefreshMs) await refresh();
    if (!known.has(subscriptionId)) return undefined;
    const clientState = await deps.secrets.clientStateFor(subscriptionId);
    if (clientState === undefined) return undefined;
    const digest = Buffer.from(clientStateDigest(clientState), 'base64url');
    digests.set(subscriptionId, digest);
    return digest;
  };

  return {
    async admits(subscriptionId, receivedDigest) {
      if (!subscriptionId || typeof receivedDigest !== 'string') return false;
      const expected = await digestOf(subscriptionId);
      return expected !== undefined && sameDigest(expected, receivedDigest);
    },
  };
}

/** A gate expecting one clientState for every subscription id (the bench's fixed secret). */
export function fixedClientStateGate(clientState: string): SubscriptionGate {
  const expected = Buffer.from(clientStateDigest(clientState), 'base64url');
  return {
    admits: async (subscriptionId, receivedDigest) =>
      Boolean(subscriptionId) &&
      typeof receivedDigest === 'string' &&
      sameDigest(expected, receivedDigest),
  };
}

/**
 * The worker's own check of an item's clientState: throws SUBSCRIPTION_UNKNOWN or
 * CLIENT_STATE_MISMATCH unless `receivedDigest` (the inbox's `clientStateSha256`) is the digest of
 * the stored secret; compared in constant time.
 */
export async function checkClientState(
  secrets: SubscriptionSecrets,
  subscriptionId: string,
  receivedDigest: unknown,
): Promise<void> {
  const expected = await secrets.clientStateFor(subscriptionId);
  if (expected === undefined) throw new AppError('SUBSCRIPTION_UNKNOWN');
  if (
    typeof receivedDigest !== 'string' ||
    !sameDigest(Buffer.from(clientStateDigest(expected), 'base64url'), receivedDigest)
  ) {
    throw new AppError('CLIENT_STATE_MISMATCH');
  }
}

function sameDigest(expected: Buffer, received: string): boolean {
  const digest = Buffer.from(received, 'base64url');
  return digest.length === expected.length && timingSafeEqual(digest, expected);
}
