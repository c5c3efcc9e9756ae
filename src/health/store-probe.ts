import { sql } from 'kysely';
import type { StoreExecutor } from '../store/database-schema';

/** Whether the store answered a trivial query within `timeoutMs`. */
export async function storeAnswers(db: StoreExecutor, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const answered = sql`select 1 as one`
    .execute(db)
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
