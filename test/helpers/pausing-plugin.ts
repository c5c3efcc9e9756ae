import { setTimeout as delay } from 'node:timers/promises';
import type { KyselyPlugin } from 'kysely';

/** How long a paused statement waits for the write meanwhile, which may itself wait for the paused transaction. */
const MEANWHILE_WAIT_MS = 1_000;

/**
 * A plugin that, after the `after`-th statement it runs, starts `meanwhile` and (when told to wait:
 * on PostgreSQL, where it commits on another connection) lets it finish, or wait for the caller's
 * locks for at most a second, before the caller goes on: a write landing between two statements of
 * an operation. `done` runs `meanwhile` if the operation had fewer statements, and settles with it.
 */
export function pausingAfterStatement(
  meanwhile: () => Promise<unknown>,
  options: { readonly after: number; readonly wait: boolean },
): { plugin: KyselyPlugin; done: () => Promise<unknown> } {
  let statements = 0;
  let running: Promise<unknown> | undefined;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    async transformResult(args) {
      statements += 1;
      if (statements === options.after) {
        running = meanwhile();
        if (options.wait) await Promise.race([running, delay(MEANWHILE_WAIT_MS)]);
      }
      return args.result;
    },
  };
  return { plugin, done: () => (running ??= meanwhile()) };
}
