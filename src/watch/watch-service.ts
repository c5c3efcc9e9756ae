import type { Transaction } from 'kysely';
import type { GraphPresence } from '../graph';
import type { DatabaseSchema, EpochMs, Store } from '../store/database-schema';
import { forgetConversation } from '../store/conversation-cleanup';
import { hasOptedOut, optInToWatching, optOutOfWatching } from '../store/privacy-opt-outs';
import { inSerialTransaction } from '../store/store-transaction';
import { purgeLeavingUser, type LeavingUser } from '../store/user-purge';
import { removeDepartedWatcher } from '../store/watcher-departure';
import { deleteWatches, listWatches, type Watch, type WatchFilter } from '../store/watches';
import {
  recordShownPresence,
  watchPeople,
  type CoverageLimits,
  type PersonToWatch,
  type WatchOutcome,
  type WatchRequest,
} from './watch-requests';

export type { Watch, WatchOutcome };

/** The PostgreSQL advisory lock (with the tenant as its scope) that serialises a tenant's admissions. */
const ADMISSION_LOCK_KEY = 0x70770003;

/** A conversation of a tenant, where watches are shown or removed. */
export interface ConversationScope {
  readonly tenantId: string;
  readonly conversationId: string;
  /**
   * Set in a Teams channel, where each post is a conversation of its own: the channel without a
   * reply-chain suffix, so "here" is the whole channel.
   */
  readonly channelId?: string;
}

/** The watches "here": the conversation's, or in a channel the whole channel's. */
function watchesHere(scope: ConversationScope): WatchFilter {
  return scope.channelId !== undefined
    ? { channelId: scope.channelId }
    : { conversationId: scope.conversationId };
}

/** What the watch service needs, passed in by the composition root. */
export interface WatchServiceDeps {
  readonly store: Store;
  /** The coverage limits admission checks a request against (the keeper's). */
  readonly coverage: CoverageLimits;
  /** Told after every change to a tenant's watches (the keeper plans that tenant now). */
  readonly onWatchesChanged: (tenantId: string) => void;
  readonly now: () => EpochMs;
  /** Shown presence stored a presence change: the alert fan-out runs now instead of at its next poll. */
  readonly onPresenceStored?: () => void;
}

/**
 * Who watches whom: every change to watches and opt-outs goes through here, and each change that
 * removed or added a watch tells the keeper once per tenant it touched.
 */
export interface WatchService {
  /**
   * Watches people in a conversation, except the watcher themself and people who opted out; throws
   * AppError('WATCH_LIMIT_EXCEEDED') (nothing stored) when the keeper could not cover them.
   */
  watch<T extends PersonToWatch>(request: WatchRequest<T>): Promise<WatchOutcome<T>>;
  /** Presence read live and shown in a conversation: the last-known presence and its watches' baseline. */
  recordShownPresence(scope: ConversationScope, presences: readonly GraphPresence[]): Promise<void>;
  /** Watches were removed in a transaction of their own (a fired `once` watch): tells the keeper. */
  watchesRemoved(removed: readonly Watch[]): void;
  /** The watches shown "here" (in a channel, from any of its posts), oldest first. */
  listHere(scope: ConversationScope): Promise<Watch[]>;
  /** Stops watching these people "here" (in a channel, from any of its posts); returns those that were watched. */
  unwatch<T extends { readonly id: string }>(
    scope: ConversationScope,
    people: readonly T[],
  ): Promise<T[]>;
  /** Stops every watch "here" (in a channel, from any of its posts); returns how many people were watched. */
  unwatchAll(scope: ConversationScope): Promise<number>;
  /** The watches matching the filter, oldest first. */
  list(filter: WatchFilter): Promise<Watch[]>;
  /** Nobody may watch this user any more: removes every watch of them and returns those watches. */
  optOut(tenantId: string, userId: string): Promise<Watch[]>;
  /** Colleagues may watch the user again; true when they had opted out. */
  optIn(tenantId: string, userId: string): Promise<boolean>;
  /** True when the user opted out of being watched. */
  hasOptedOut(tenantId: string, userId: string): Promise<boolean>;
  /** The bot can no longer post into these conversations: forgets them with their watches. */
  forgetConversations(conversationIds: Iterable<string>): Promise<Watch[]>;
  /** A watcher left these conversations: ends the watches they added there. */
  endWatcher(
    tenantId: string,
    watcherId: string,
    conversationIds: Iterable<string>,
  ): Promise<Watch[]>;
  /** A user left the app: purges them as a watcher everywhere in the tenant. */
  purgeUser(user: LeavingUser): Promise<Watch[]>;
}

/**
 * Builds the watch service over the store; the keeper hears of each change. Admitting a request and
 * opting out are one write transaction each, serialised per tenant, so racing requests are judged
 * one after the other and no watch of a person who just opted out is stored.
 */
export function createWatchService(deps: WatchServiceDeps): WatchService {
  const { db } = deps.store;
  const serialised = <T>(
    tenantId: string,
    fn: (trx: Transaction<DatabaseSchema>) => Promise<T>,
  ): Promise<T> =>
    inSerialTransaction(
      deps.store,
      { key: ADMISSION_LOCK_KEY, scope: tenantId.trim().toLowerCase() },
      fn,
    );
  const tellKeeper = (tenantIds: Iterable<string>): void => {
    for (const tenantId of new Set(tenantIds)) deps.onWatchesChanged(tenantId);
  };
  const removed = (watches: Watch[]): Watch[] => {
    tellKeeper(watches.map((watch) => watch.tenantId));
    return watches;
  };
  return {
    async watch(request) {
      const outcome = await serialised(request.tenantId, (trx) =>
        watchPeople(trx, deps.coverage, request, deps.now()),
      );
      if (outcome.watched.length > 0) tellKeeper([request.tenantId]);
      return outcome;
    },
    async recordShownPresence(scope, presences) {
      const shown = { ...scope, presences, shownAt: deps.now() };
      if ((await recordShownPresence(db, shown)) > 0) deps.onPresenceStored?.();
    },
    watchesRemoved: (watches) => tellKeeper(watches.map((watch) => watch.tenantId)),
    listHere: (scope) => listWatches(db, watchesHere(scope)),
    async unwatch(scope, people) {
      const stopped = [];
      for (const person of people) {
        const ended = await deleteWatches(db, { ...watchesHere(scope), targetId: person.id });
        if (ended.length > 0) stopped.push(person);
      }
      if (stopped.length > 0) tellKeeper([scope.tenantId]);
      return stopped;
    },
    async unwatchAll(scope) {
      const ended = await deleteWatches(db, watchesHere(scope));
      if (ended.length > 0) tellKeeper([scope.tenantId]);
      return new Set(ended.map((watch) => watch.targetId)).size;
    },
    list: (filter) => listWatches(db, filter),
    optOut: async (tenantId, userId) =>
      removed(
        await serialised(tenantId, (trx) => optOutOfWatching(trx, tenantId, userId, deps.now())),
      ),
    optIn: (tenantId, userId) => optInToWatching(db, tenantId, userId),
    hasOptedOut: (tenantId, userId) => hasOptedOut(db, tenantId, userId),
    async forgetConversations(conversationIds) {
      const watches: Watch[] = [];
      for (const id of new Set(conversationIds))
        watches.push(...(await forgetConversation(db, id)));
      return removed(watches);
    },
    endWatcher: async (tenantId, watcherId, conversationIds) =>
      removed(await removeDepartedWatcher(db, tenantId, watcherId, conversationIds)),
    purgeUser: async (user) => removed(await purgeLeavingUser(db, user)),
  };
}
