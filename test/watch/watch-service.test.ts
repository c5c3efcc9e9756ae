import assert from 'node:assert/strict';
import {
  getConversationReference,
  upsertConversationReference,
} from '../../src/store/conversation-references';
import { getPresenceStates } from '../../src/store/presence-state';
import { createWatchService, type WatchService } from '../../src/watch/watch-service';
import { expectAppError } from '../helpers/expect-app-error';
import { forEachEngine } from '../helpers/for-each-engine';

const TENANT = 'tenant-a';
const GROUP = '19:group@thread.v2';
const CHANNEL = '19:channel@thread.tacv2';
const OPTIONS = { onlyWhenAvailable: false, once: false, includeActivity: false };
const ALEX = 'AAAA0000-0000-0000-0000-00000000000A';
const MEGAN = 'bbbb0000-0000-0000-0000-00000000000b';
const ADELE = 'cccc0000-0000-0000-0000-00000000000c';
const PATTI = 'dddd0000-0000-0000-0000-00000000000d';

const person = (id: string): { id: string; name: string } => ({ id, name: `name of ${id}` });

forEachEngine('watch service', (fixture) => {
  let keeper: string[];
  let presenceStored: number;
  let clock: number;
  let watches: WatchService;

  beforeEach(() => {
    keeper = [];
    presenceStored = 0;
    clock = 1_000;
    watches = createWatchService({
      store: fixture.store,
      coverage: { redundancy: 1, maxIdsPerSubscription: 2 },
      onWatchesChanged: (tenantId) => void keeper.push(`replan ${tenantId}`),
      now: () => clock,
      onPresenceStored: () => void (presenceStored += 1),
    });
  });

  const watch = (
    conversationId: string,
    watcherId: string,
    ids: string[],
    tenantId = TENANT,
  ): ReturnType<WatchService['watch']> =>
    watches.watch({
      tenantId,
      conversationId,
      watcherId,
      people: ids.map(person),
      options: OPTIONS,
    });

  const stored = async (conversationId: string): Promise<string[][]> =>
    (await watches.list({ conversationId })).map((w) => [w.watcherId, w.targetId]);

  describe('watch', () => {
    it('stores one watch a person with its options and name, and tells the keeper once', async () => {
      const outcome = await watches.watch({
        tenantId: TENANT,
        conversationId: GROUP,
        watcherId: ALEX,
        people: [person(MEGAN), person(ADELE)],
        options: { onlyWhenAvailable: true, once: false, includeActivity: true },
      });
      assert.deepEqual(outcome, {
        watched: [person(MEGAN), person(ADELE)],
        alreadyWatched: [],
        optedOut: [],
        askedForSelf: false,
      });
      const [first] = await watches.list({ conversationId: GROUP });
      assert.deepEqual(
        { ...first, id: 0 },
        {
          id: 0,
          tenantId: TENANT,
          conversationId: GROUP,
          watcherId: ALEX.toLowerCase(),
          targetId: MEGAN,
          targetName: `name of ${MEGAN}`,
          onlyWhenAvailable: true,
          once: false,
          includeActivity: true,
          createdAt: 1_000,
          baselineAt: 0,
        },
      );
      assert.equal((await stored(GROUP)).length, 2);
      assert.deepEqual(keeper, [`replan ${TENANT}`]);
    });

    it('leaves out the watcher themself and people who opted out, telling the keeper nothing when nobody is left', async () => {
      await watches.optOut(TENANT, MEGAN);
      keeper = [];
      const outcome = await watch(GROUP, ALEX, [ALEX.toLowerCase(), MEGAN.toUpperCase()]);
      assert.deepEqual(outcome, {
        watched: [],
        alreadyWatched: [],
        optedOut: [person(MEGAN.toUpperCase())],
        askedForSelf: true,
      });
      assert.deepEqual(await stored(GROUP), []);
      assert.deepEqual(keeper, []);
    });

    it('refuses with WATCH_LIMIT_EXCEEDED when the keeper could not cover the people, storing none of them', async () => {
      await watch(GROUP, ALEX, [MEGAN, ADELE]);
      keeper = [];
      await expectAppError(watch(CHANNEL, ALEX, [PATTI]), 'WATCH_LIMIT_EXCEEDED');
      assert.deepEqual(await stored(CHANNEL), []);
      assert.deepEqual(keeper, []);
    });

    it('admits only what fits when two requests race, each fitting alone but not together', async () => {
      const outcomes = await Promise.allSettled([
        watch(GROUP, ALEX, [MEGAN, ADELE]),
        watch(CHANNEL, ALEX, [PATTI]),
      ]);
      assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'rejected']);
      const covered = (await watches.list({ watcherId: ALEX })).map((w) => w.targetId);
      assert.ok(
        covered.length <= 2,
        `the keeper can cover 2 people, ${covered.length} were admitted`,
      );
    });

    it('never stores a watch of a person who opted out while the request was admitted', async () => {
      await Promise.all([watch(GROUP, ALEX, [MEGAN]), watches.optOut(TENANT, MEGAN)]);
      assert.deepEqual(await watches.list({ targetId: MEGAN }), []);
    });
  });

  describe('unwatch', () => {
    it('removes the people watched in the conversation and tells the keeper once', async () => {
      await watch(GROUP, ALEX, [MEGAN, ADELE]);
      keeper = [];
      const scope = { tenantId: TENANT, conversationId: GROUP };
      const stopped = await watches.unwatch(scope, [person(MEGAN.toUpperCase()), person(PATTI)]);
      assert.deepEqual(stopped, [person(MEGAN.toUpperCase())]);
      assert.deepEqual(await stored(GROUP), [[ALEX.toLowerCase(), ADELE]]);
      assert.deepEqual(keeper, [`replan ${TENANT}`]);
      keeper = [];
      assert.deepEqual(await watches.unwatch(scope, [person(PATTI)]), []);
      assert.deepEqual(keeper, [], 'nothing removed, nothing to tell');
    });

    it('removes every watch of a conversation only', async () => {
      await watch(GROUP, ALEX, [MEGAN, ADELE]);
      await watch(CHANNEL, MEGAN, [ADELE]);
      keeper = [];
      assert.equal(await watches.unwatchAll({ tenantId: TENANT, conversationId: GROUP }), 2);
      assert.deepEqual(await stored(GROUP), []);
      assert.deepEqual(await stored(CHANNEL), [[MEGAN, ADELE]]);
      assert.deepEqual(keeper, [`replan ${TENANT}`]);
      keeper = [];
      assert.equal(await watches.unwatchAll({ tenantId: TENANT, conversationId: GROUP }), 0);
      assert.deepEqual(keeper, []);
    });
  });

  describe('opt-out and opt-in', () => {
    it('opting out removes every watch of the person and tells the keeper once for the tenant', async () => {
      await watch(GROUP, ALEX, [MEGAN]);
      await watch(CHANNEL, ADELE, [MEGAN, PATTI]);
      keeper = [];
      const removed = await watches.optOut(TENANT, MEGAN.toUpperCase());
      assert.deepEqual(removed.map((w) => w.conversationId).sort(), [CHANNEL, GROUP].sort());
      assert.deepEqual(await stored(GROUP), []);
      assert.deepEqual(await stored(CHANNEL), [[ADELE, PATTI]]);
      assert.equal(await watches.hasOptedOut(TENANT, MEGAN), true);
      assert.deepEqual(keeper, [`replan ${TENANT}`]);
    });

    it('opting in lets colleagues watch the person again', async () => {
      await watches.optOut(TENANT, MEGAN);
      assert.equal(await watches.optIn(TENANT, MEGAN), true);
      assert.equal(await watches.optIn(TENANT, MEGAN), false, 'was no longer opted out');
      assert.equal(await watches.hasOptedOut(TENANT, MEGAN), false);
      assert.deepEqual((await watch(GROUP, ALEX, [MEGAN])).watched, [person(MEGAN)]);
    });
  });

  describe('departures', () => {
    it('forgets lost conversations with their references, telling the keeper once per tenant', async () => {
      await rememberConversation(GROUP);
      await watch(GROUP, ALEX, [MEGAN]);
      await watch(CHANNEL, ALEX, [ADELE]);
      await watch(CHANNEL, ALEX, [PATTI], 'tenant-b');
      keeper = [];
      const removed = await watches.forgetConversations([GROUP, CHANNEL]);
      assert.equal(removed.length, 3);
      assert.deepEqual(await watches.list({}), []);
      assert.equal(await getConversationReference(fixture.store.db, GROUP), undefined);
      assert.deepEqual(keeper, [`replan ${TENANT}`, 'replan tenant-b']);
    });

    it('ends the watches a departed watcher added in the conversations they left', async () => {
      await watch(GROUP, ALEX, [MEGAN]);
      await watch(GROUP, ADELE, [PATTI]);
      await watch(CHANNEL, ALEX, [PATTI]);
      keeper = [];
      const removed = await watches.endWatcher(TENANT, ALEX, [GROUP]);
      assert.deepEqual(
        removed.map((w) => w.targetId),
        [MEGAN],
      );
      assert.deepEqual(await stored(GROUP), [[ADELE, PATTI]]);
      assert.deepEqual(await stored(CHANNEL), [[ALEX.toLowerCase(), PATTI]]);
      assert.deepEqual(keeper, [`replan ${TENANT}`]);
      keeper = [];
      assert.deepEqual(await watches.endWatcher(TENANT, MEGAN, [GROUP]), []);
      assert.deepEqual(keeper, []);
    });

    it('tells the keeper once per tenant of watches removed elsewhere (a lost conversation, a fired once watch)', async () => {
      watches.watchesRemoved([]);
      assert.deepEqual(keeper, [], 'nothing removed, nothing to tell');
      await watch(GROUP, ALEX, [MEGAN, ADELE]);
      await watch(CHANNEL, ALEX, [PATTI], 'tenant-b');
      keeper = [];
      watches.watchesRemoved(await watches.list({}));
      assert.deepEqual(keeper, [`replan ${TENANT}`, 'replan tenant-b']);
    });

    it('purges a user leaving the app as a watcher everywhere in the tenant', async () => {
      await watch(GROUP, ALEX, [MEGAN]);
      await watch(CHANNEL, ALEX, [ADELE]);
      await watch(CHANNEL, MEGAN, [PATTI]);
      keeper = [];
      const removed = await watches.purgeUser({
        tenantId: TENANT,
        aadObjectId: ALEX,
        botStateKeys: [],
      });
      assert.equal(removed.length, 2);
      assert.deepEqual(await watches.list({}).then((all) => all.map((w) => w.watcherId)), [MEGAN]);
      assert.deepEqual(keeper, [`replan ${TENANT}`]);
    });
  });

  it('records shown presence as last-known presence and as the baseline of that conversation only', async () => {
    await watch(GROUP, ALEX, [MEGAN]);
    await watch(CHANNEL, ADELE, [MEGAN]);
    keeper = [];
    clock = 5_000;
    await watches.recordShownPresence({ tenantId: TENANT, conversationId: GROUP }, [
      { id: MEGAN, availability: 'Busy', activity: 'InAMeeting' },
    ]);
    const baselines = (await watches.list({ targetId: MEGAN })).map((w) => [
      w.conversationId,
      w.baselineAt,
    ]);
    assert.deepEqual(baselines, [
      [GROUP, 5_000],
      [CHANNEL, 0],
    ]);
    const state = (await getPresenceStates(fixture.store.db, TENANT, [MEGAN])).get(MEGAN);
    assert.deepEqual(
      [state?.availability, state?.activity, state?.observedAt],
      ['Busy', 'InAMeeting', 5_000],
    );
    assert.deepEqual(keeper, [], 'showing presence changes no watch');
  });

  it('wakes the alert fan-out when shown presence stored a change (other conversations may hear of it)', async () => {
    const scope = { tenantId: TENANT, conversationId: GROUP };
    const busy = { id: MEGAN, availability: 'Busy', activity: 'InAMeeting' };
    await watches.recordShownPresence(scope, [busy]);
    assert.equal(presenceStored, 1, 'a first sighting is stored as a change too');
    clock = 2_000;
    await watches.recordShownPresence(scope, [{ ...busy, availability: 'Available' }]);
    assert.equal(presenceStored, 2);
    clock = 3_000;
    await watches.recordShownPresence(scope, [{ ...busy, availability: 'Available' }]);
    assert.equal(presenceStored, 2, 'the same presence again is no change');
  });

  async function rememberConversation(conversationId: string): Promise<void> {
    const reference = {
      conversation: { id: conversationId, isGroup: true, conversationType: 'groupChat', name: '' },
    };
    await upsertConversationReference(
      fixture.store.db,
      {
        conversationId,
        tenantId: TENANT,
        serviceUrl: 'http://127.0.0.1:9/connector',
        conversationType: 'groupChat',
        name: null,
        reference,
      },
      1_000,
    );
  }
});
