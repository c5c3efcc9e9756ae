import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors/app-error';

/** Finds the clientState secret we gave Graph for a subscription, if we know the subscription. */
export interface SubscriptionSecrets {
  clientStateFor(subscriptionId: string): Promise<string | undefined>;
}

/** A lookup that expects the same clientState for every subscription (the CLI's `--client-state`). */
export function fixedClientState(clientState: string): SubscriptionSecrets {
  return { clientStateFor: async () => clientState };
}

/** Throws SUBSCRIPTION_UNKNOWN or CLIENT_STATE_MISMATCH unless `received` equals the stored secret. */
export async function checkClientState(
  secrets: SubscriptionSecrets,
  subscriptionId: string,
  received: unknown,
): Promise<void> {
  const expected = await secrets.clientStateFor(subscriptionId);
  if (expected === undefined) throw new AppError('SUBSCRIPTION_UNKNOWN');
  if (typeof received !== 'string' || !constantTimeEqual(expected, received)) {
    throw new AppError('CLIENT_STATE_MISMATCH');
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a, 'utf8').digest();
  const digestB = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(digestA, digestB);
}
