import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors/app-error';
import { clientStateDigest } from '../receiver/notification-envelope';

/** Finds the clientState secret we gave Graph for a subscription, if we know the subscription. */
export interface SubscriptionSecrets {
  clientStateFor(subscriptionId: string): Promise<string | undefined>;
}

/** A lookup that expects the same clientState for every subscription (the CLI's `--client-state`). */
export function fixedClientState(clientState: string): SubscriptionSecrets {
  return { clientStateFor: async () => clientState };
}

/**
 * Throws SUBSCRIPTION_UNKNOWN or CLIENT_STATE_MISMATCH unless `receivedDigest` (the inbox's
 * `clientStateSha256`) is the digest of the stored secret; compared in constant time.
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
    !sameDigest(clientStateDigest(expected), receivedDigest)
  ) {
    throw new AppError('CLIENT_STATE_MISMATCH');
  }
}

function sameDigest(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'base64url');
  const b = Buffer.from(received, 'base64url');
  return a.length === b.length && timingSafeEqual(a, b);
}
