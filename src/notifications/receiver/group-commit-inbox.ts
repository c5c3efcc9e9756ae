import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../../store/database-schema';
import { appendBatch, type InboxBatchInput } from '../../store/inbox-queue';
import { inTransaction } from '../../store/store-transaction';
import type { InboxWriter } from './notification-routes';

type AppendResult = { inserted: number; duplicates: number };

interface Waiting {
  batch: InboxBatchInput;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * An inbox writer that commits every batch that arrives while a commit is running in the next
 * single transaction (group commit), so one durable sync serves many concurrent POSTs.
 */
export function createGroupCommitInbox(
  db: Kysely<DatabaseSchema>,
  maxBatchesPerCommit = 128,
): InboxWriter {
  let queue: Waiting[] = [];
  let flushing = false;

  const flush = async (): Promise<void> => {
    flushing = true;
    while (queue.length > 0) {
      const group = queue.slice(0, maxBatchesPerCommit);
      queue = queue.slice(group.length);
      await commitGroup(db, group);
    }
    flushing = false;
  };

  return {
    append(envelope, receivedAt) {
      return new Promise<AppendResult>((resolve, reject) => {
        const batch = {
          receivedAt,
          validationTokens: envelope.validationTokens,
          items: envelope.items,
        };
        queue.push({ batch, resolve, reject });
        if (!flushing) void flush();
      });
    },
  };
}

async function commitGroup(db: Kysely<DatabaseSchema>, group: Waiting[]): Promise<void> {
  try {
    const results = await inTransaction(db, async (trx) => {
      const settled: AppendResult[] = [];
      for (const waiting of group) settled.push(await appendBatch(trx, waiting.batch));
      return settled;
    });
    group.forEach((waiting, i) => waiting.resolve(results[i] ?? { inserted: 0, duplicates: 0 }));
  } catch {
    for (const waiting of group) {
      await appendBatch(db, waiting.batch).then(waiting.resolve, waiting.reject);
    }
  }
}
