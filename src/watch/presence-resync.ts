import { AppError } from '../errors/app-error';
import { listSubscriptions } from '../store/graph-subscriptions';
import { applyUnlessDoubtful, getPresenceStates } from '../store/presence-state';
import { backoffDelayMs, GRAPH_RETRY } from '../backoff/backoff';
import { failureCode, failureRetryAfterMs } from './failure-fields';
import type { KeeperContext } from './keeper-context';
import type { ResyncRequest } from './resync-queue';
import { raiseSignInAlert } from './sign-in-alerts';
import { isAuthFailure } from './token-provider';

/**
 * What a resync pass did: people read, real changes found, requests put back after a failure, and
 * people to read again because something was recorded while their read was in flight.
 */
export interface ResyncOutcome {
  readonly people: number;
  readonly changes: number;
  readonly deferred: number;
  readonly doubtful: number;
}

/**
 * Reads the presence of every person with a pending resync (getPresencesByUserId, ≤ 650 ids a
 * request) and applies it as a `resync` observation, so a change missed during a gap is emitted
 * once. A person whose presence changed in the store while the read was in flight may have an
 * older answer than the store: they are read again after `presenceConfirmDelayMs`. A tenant whose
 * read stored a change wakes the alert fan-out (`onPresenceStored`).
 */
export async function runDueResyncs(ctx: KeeperContext): Promise<ResyncOutcome> {
  let people = 0;
  let changes = 0;
  let deferred = 0;
  let doubtful = 0;
  for (const request of ctx.resyncs.takeDue(ctx.now())) {
    try {
      const outcome = await resyncTenant(ctx, request);
      changes += outcome.changes;
      doubtful += outcome.doubtful;
      people += request.ids.size;
    } catch (error) {
      deferred += 1;
      const delay = backoffDelayMs(
        { ...GRAPH_RETRY, baseMs: ctx.config.backoffBaseMs, maxMs: ctx.config.backoffMaxMs },
        request.failures + 1,
        failureRetryAfterMs(error),
        ctx.random,
      );
      ctx.log.warn(
        { tenantId: request.tenantId, code: failureCode(error), people: request.ids.size, delay },
        'presence resync failed; retrying later',
      );
      ctx.resyncs.retryLater(request, ctx.now() + delay);
    }
  }
  return { people, changes, deferred, doubtful };
}

async function resyncTenant(
  ctx: KeeperContext,
  request: ResyncRequest,
): Promise<{ changes: number; doubtful: number }> {
  const ids = [...request.ids].sort();
  const before = await getPresenceStates(ctx.db, request.tenantId, ids);
  const presences = await readWithAnyToken(ctx, request, ids);
  const again: string[] = [];
  let changes = 0;
  for (const presence of presences) {
    const outcome = await applyUnlessDoubtful(
      ctx.db,
      {
        tenantId: request.tenantId,
        userId: presence.id,
        availability: presence.availability,
        activity: presence.activity,
        observedAt: ctx.now(),
        sequence: presence.sequenceNumber,
        source: 'resync',
      },
      (stored) => stored.version !== (before.get(presence.id.toLowerCase())?.version ?? 0),
    );
    if (outcome === 'doubtful') again.push(presence.id);
    else if (outcome) changes += 1;
  }
  if (changes > 0) ctx.onPresenceStored();
  if (again.length > 0) {
    const due = ctx.now() + ctx.config.presenceConfirmDelayMs;
    ctx.resyncs.add(request.tenantId, again, [...request.preferredOwners][0], due);
  }
  ctx.log.info(
    { tenantId: request.tenantId, people: ids.length, changes, doubtful: again.length },
    'presence resynced',
  );
  return { changes, doubtful: again.length };
}

/**
 * Tries the preferred owners' tokens, then every other healthy owner's, until one works. An owner
 * whose sign-in is gone is asked to sign in again (once per episode): after a restart that lost
 * the sign-ins, this read is the first to find out, long before the liveness check.
 */
async function readWithAnyToken(ctx: KeeperContext, request: ResyncRequest, ids: string[]) {
  const owners = await candidateOwners(ctx, request);
  let lastError: unknown = new AppError(
    'TOKEN_UNAVAILABLE',
    'no user of the tenant has a working token',
  );
  for (const owner of owners) {
    try {
      const token = await ctx.tokens.getToken(request.tenantId, owner);
      return await ctx.graph.getPresencesByUserId(token, ids);
    } catch (error) {
      if (!isAuthFailure(error)) throw error;
      lastError = error;
      await raiseSignInAlert(ctx, request.tenantId, owner, failureCode(error));
    }
  }
  throw lastError;
}

async function candidateOwners(ctx: KeeperContext, request: ResyncRequest): Promise<string[]> {
  const rows = await listSubscriptions(ctx.db, request.tenantId);
  const healthy = rows.filter((row) => row.state !== 'failed-auth').map((row) => row.ownerId);
  return [...new Set([...request.preferredOwners, ...healthy])];
}
