import type { InboxBatchInput, InboxItemInput } from '../../src/store/inbox-queue';

/** An inbox item whose payload names its dedupe key, for assertions. */
export function inboxItem(
  dedupeKey: string,
  overrides: Partial<InboxItemInput> = {},
): InboxItemInput {
  return {
    dedupeKey,
    subscriptionId: 'sub-1',
    tenantId: 'tenant-1',
    payload: JSON.stringify({ dedupeKey, encryptedContent: { data: 'opaque' } }),
    ...overrides,
  };
}

/** A batch of items with the given dedupe keys, received at `receivedAt`. */
export function inboxBatch(
  keys: readonly string[],
  receivedAt = 1_700_000_000_000,
): InboxBatchInput {
  return {
    receivedAt,
    validationTokens: [`token-for-${keys.join('+')}`],
    items: keys.map((key) => inboxItem(key)),
  };
}
