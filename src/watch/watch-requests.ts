import type { GraphPresence } from '../graph';
import type { EpochMs, StoreExecutor } from '../store/database-schema';
import { normalizeEntraId } from '../store/entra-ids';
import { optedOutAmong } from '../store/privacy-opt-outs';
import { applyPresenceObservation } from '../store/presence-state';
import { listWatches, rebaselineWatches, upsertWatch, type WatchInput } from '../store/watches';
import { loadStoredCoverage } from './coverage-input';
import type { CoveragePlan } from './coverage-plan-types';
import { checkWatchRequest } from './coverage-planner';
import type { KeeperConfig } from './keeper-config';

/** The keeper's coverage limits a watch request is admitted against. */
export type CoverageLimits = Pick<KeeperConfig, 'redundancy' | 'maxIdsPerSubscription'>;

/** A watcher asking to add people to what they watch, as admission sees it. */
interface AdmissionRequest {
  readonly tenantId: string;
  readonly watcherId: string;
  readonly targetIds: readonly string[];
}

/** How a watch alerts. */
type WatchOptions = Pick<WatchInput, 'onlyWhenAvailable' | 'once' | 'includeActivity'>;

/** A person to watch: their Entra object id and, when known, their display name (stored with the watch). */
export interface PersonToWatch {
  readonly id: string;
  readonly name?: string;
}

/** A user asking to watch people in a conversation. */
export interface WatchRequest<T extends PersonToWatch> {
  readonly tenantId: string;
  readonly conversationId: string;
  /** In a channel, the channel: people watched from another of its posts are not watched again. */
  readonly channelId?: string;
  /** Entra object id of the user who asks. */
  readonly watcherId: string;
  /** The people to watch, each with their Entra object id and name when known. */
  readonly people: readonly T[];
  readonly options: WatchOptions;
}

/** What became of a watch request. */
export interface WatchOutcome<T> {
  /** The people now watched in the conversation. */
  readonly watched: T[];
  /** People already watched from another post of the channel, not watched again. */
  readonly alreadyWatched: T[];
  /** People refused because they opted out of being watched. */
  readonly optedOut: T[];
  /** The watcher asked for themself, whom they are never set to watch. */
  readonly askedForSelf: boolean;
}

/**
 * Checks a watch request against the stored watches before it is stored: throws
 * AppError('WATCH_LIMIT_EXCEEDED') when the requester's subscription would need more than 650 ids
 * and nobody else who watches those people has room to cover them. Returns the plan with it applied.
 */
export async function assertWatchAllowed(
  db: StoreExecutor,
  config: CoverageLimits,
  request: AdmissionRequest,
): Promise<CoveragePlan> {
  const { input } = await loadStoredCoverage(db, config, request.tenantId);
  return checkWatchRequest(
    input,
    normalizeEntraId(request.watcherId),
    request.targetIds.map(normalizeEntraId),
  );
}

/**
 * Stores a watch of each person the request may watch, after the keeper's admission check (which
 * throws AppError('WATCH_LIMIT_EXCEEDED') before anything is stored).
 */
export async function watchPeople<T extends PersonToWatch>(
  db: StoreExecutor,
  coverage: CoverageLimits,
  request: WatchRequest<T>,
  now: EpochMs,
): Promise<WatchOutcome<T>> {
  const { tenantId, conversationId, watcherId } = request;
  const self = normalizeEntraId(watcherId);
  const others = request.people.filter((person) => normalizeEntraId(person.id) !== self);
  const elsewhere = await watchedInOtherPosts(db, request);
  const isAlreadyWatched = (person: T): boolean => elsewhere.has(normalizeEntraId(person.id));
  const optedOutIds = await optedOutAmong(
    db,
    tenantId,
    others.map((person) => person.id),
  );
  const isOptedOut = (person: T): boolean => optedOutIds.has(normalizeEntraId(person.id));
  const watched = others.filter((person) => !isOptedOut(person) && !isAlreadyWatched(person));
  if (watched.length > 0) {
    const targetIds = watched.map((person) => person.id);
    await assertWatchAllowed(db, coverage, { tenantId, watcherId, targetIds });
    for (const { id: targetId, name: targetName } of watched) {
      await upsertWatch(
        db,
        {
          tenantId,
          conversationId,
          watcherId,
          targetId,
          ...(targetName === undefined ? {} : { targetName }),
          ...request.options,
        },
        now,
      );
    }
  }
  return {
    watched,
    alreadyWatched: others.filter((person) => !isOptedOut(person) && isAlreadyWatched(person)),
    optedOut: others.filter(isOptedOut),
    askedForSelf: others.length < request.people.length,
  };
}

/** In a channel, the people watched from its other posts (lower-case ids). */
async function watchedInOtherPosts(
  db: StoreExecutor,
  request: WatchRequest<{ readonly id: string }>,
): Promise<Set<string>> {
  if (request.channelId === undefined) return new Set();
  const watches = await listWatches(db, { channelId: request.channelId });
  return new Set(
    watches.filter((w) => w.conversationId !== request.conversationId).map((w) => w.targetId),
  );
}

/** Presence read live and shown in one conversation. */
interface ShownPresence {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly presences: readonly GraphPresence[];
  readonly shownAt: EpochMs;
}

/**
 * Records presences shown in a conversation: they become the last-known presence and the baseline
 * of the conversation's watches of those people, so no alert repeats what was shown (other
 * conversations still learn of a real change). The baseline moves first, so the fan-out never sees
 * the change without it.
 */
export async function recordShownPresence(
  db: StoreExecutor,
  shown: ShownPresence,
): Promise<number> {
  const { tenantId, conversationId, presences, shownAt } = shown;
  await rebaselineWatches(
    db,
    conversationId,
    presences.map((presence) => presence.id),
    shownAt,
  );
  let changes = 0;
  for (const presence of presences) {
    const change = await applyPresenceObservation(db, {
      tenantId,
      userId: presence.id,
      availability: presence.availability,
      activity: presence.activity,
      observedAt: shownAt,
      sequence: presence.sequenceNumber,
      source: 'resync',
    });
    if (change) changes += 1;
  }
  return changes;
}
