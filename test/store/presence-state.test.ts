import assert from 'node:assert/strict';
import {
  claimPresenceChanges,
  markPresenceChangesConsumed,
  purgeConsumedPresenceChanges,
} from '../../src/store/presence-change-queue';
import {
  applyPresenceObservation,
  getPresenceStates,
  type PresenceObservation,
} from '../../src/store/presence-state';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_700_000_000_000;
const ALEX = 'AAAAAAAA-0000-0000-0000-000000000001';

function observation(
  availability: string,
  activity: string,
  observedAt = NOW,
  source: PresenceObservation['source'] = 'notification',
): PresenceObservation {
  return { tenantId: 't1', userId: ALEX, availability, activity, observedAt, source };
}

forEachEngine('presence state', (fixture) => {
  const apply = (obs: PresenceObservation) => applyPresenceObservation(fixture.store.db, obs);
  const changeRows = () =>
    fixture.store.db.selectFrom('presence_changes').selectAll().orderBy('id').execute();

  it('records the first observation as a change from nothing', async () => {
    const change = await apply({ ...observation('Busy', 'InAMeeting'), now: NOW + 5 });
    assert.deepEqual(change, {
      id: change?.id,
      tenantId: 't1',
      userId: ALEX.toLowerCase(),
      from: null,
      to: { availability: 'Busy', activity: 'InAMeeting' },
      observedAt: NOW,
      source: 'notification',
      createdAt: NOW + 5,
    });
    const states = await getPresenceStates(fixture.store.db, 't1', [ALEX]);
    assert.deepEqual(states.get(ALEX.toLowerCase()), {
      availability: 'Busy',
      activity: 'InAMeeting',
      observedAt: NOW,
      version: 1,
      sequence: null,
    });
  });

  it('returns a change once per real change, writing exactly one outbox row', async () => {
    await apply(observation('Busy', 'InAMeeting'));
    const change = await apply(observation('Available', 'Available', NOW + 10, 'resync'));
    assert.deepEqual(
      [change?.from, change?.to, change?.source],
      [
        { availability: 'Busy', activity: 'InAMeeting' },
        { availability: 'Available', activity: 'Available' },
        'resync',
      ],
    );
    assert.equal(await apply(observation('Available', 'Available', NOW + 10)), null);
    assert.equal(await apply(observation('Available', 'Available', NOW + 20)), null);
    assert.equal((await changeRows()).length, 2);
    const state = (await getPresenceStates(fixture.store.db, 't1', [ALEX])).get(ALEX.toLowerCase());
    assert.deepEqual([state?.version, state?.observedAt], [2, NOW + 20]);
  });

  it('treats an activity-only change as a change', async () => {
    await apply(observation('Busy', 'InAMeeting'));
    const change = await apply(observation('Busy', 'Presenting', NOW + 1));
    assert.deepEqual(change?.to, { availability: 'Busy', activity: 'Presenting' });
  });

  it('compares case-insensitively but keeps values as received, unknown ones included', async () => {
    await apply(observation('Available', 'Available'));
    assert.equal(await apply(observation('AVAILABLE', 'available', NOW + 1)), null);
    const focusing = await apply(observation('Busy', 'Focusing', NOW + 2));
    assert.deepEqual(focusing?.to, { availability: 'Busy', activity: 'Focusing' });
    const states = await getPresenceStates(fixture.store.db, 't1', [ALEX.toLowerCase()]);
    assert.equal(states.get(ALEX.toLowerCase())?.activity, 'Focusing');
    assert.equal((await changeRows()).length, 2);
  });

  it('ignores observations older than the last known one', async () => {
    await apply(observation('Away', 'Away', NOW + 100));
    assert.equal(await apply(observation('Busy', 'Busy', NOW + 50)), null);
    const state = (await getPresenceStates(fixture.store.db, 't1', [ALEX])).get(ALEX.toLowerCase());
    assert.deepEqual(
      [state?.availability, state?.observedAt, state?.version],
      ['Away', NOW + 100, 1],
    );
    assert.equal((await changeRows()).length, 1);
  });

  it('writes no change when the caller’s transaction rolls back', async () => {
    await assert.rejects(
      fixture.store.db.transaction().execute(async (trx) => {
        assert.ok(await applyPresenceObservation(trx, observation('Busy', 'Busy')));
        throw new Error('processing failed');
      }),
      /processing failed/,
    );
    assert.deepEqual(await changeRows(), []);
    assert.ok(await apply(observation('Busy', 'Busy')));
  });

  it('reads states of many people per tenant, skipping unknown ones', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `user-${i}`);
    for (const id of ids.slice(0, 3)) {
      await applyPresenceObservation(fixture.store.db, {
        ...observation('Away', 'Away'),
        userId: id,
      });
    }
    await applyPresenceObservation(fixture.store.db, {
      ...observation('Away', 'Away'),
      tenantId: 't2',
      userId: 'user-5',
    });
    const states = await getPresenceStates(fixture.store.db, 't1', ids);
    assert.deepEqual([...states.keys()].sort(), ['user-0', 'user-1', 'user-2']);
  });

  it('records one change when two connections observe the same change at once', async () => {
    const stores =
      fixture.engine === 'postgres'
        ? [await fixture.open(), await fixture.open()]
        : [fixture.store, fixture.store];
    const values = ['Available', 'Busy', 'Away', 'Available', 'DoNotDisturb'];
    for (const [round, availability] of values.entries()) {
      const obs = {
        ...observation(availability, availability, NOW + round),
        userId: `p-${round % 2}`,
      };
      const results = await Promise.all(
        stores.map((store) => applyPresenceObservation(store.db, obs)),
      );
      assert.equal(results.filter((r) => r !== null).length, 1, `round ${round}`);
    }
    assert.equal((await changeRows()).length, values.length);
  });
});

forEachEngine('presence state ordered by Graph sequence numbers', (fixture) => {
  const apply = (obs: PresenceObservation) => applyPresenceObservation(fixture.store.db, obs);
  const sequenced = (availability: string, observedAt: number, sequence?: unknown) =>
    ({ ...observation(availability, availability, observedAt), sequence }) as PresenceObservation;
  const state = async () =>
    (await getPresenceStates(fixture.store.db, 't1', [ALEX])).get(ALEX.toLowerCase());
  const changeCount = async () =>
    (await fixture.store.db.selectFrom('presence_changes').select('id').execute()).length;

  it('applies a greater sequence even when it was observed earlier', async () => {
    await apply(sequenced('Busy', NOW + 100, '0000000A'));
    const change = await apply(sequenced('Available', NOW + 50, '0000000B'));
    assert.deepEqual([change?.from?.availability, change?.to.availability], ['Busy', 'Available']);
    const stored = await state();
    assert.deepEqual(
      [stored?.availability, stored?.sequence, stored?.observedAt, stored?.version],
      ['Available', '0000000B', NOW + 100, 2],
    );
  });

  it('ignores a smaller or equal sequence even when it was observed later', async () => {
    await apply(sequenced('Busy', NOW, '00000005'));
    assert.equal(await apply(sequenced('Available', NOW + 100, '00000004')), null);
    assert.equal(await apply(sequenced('Available', NOW + 200, '00000005')), null);
    assert.equal(await apply(sequenced('Busy', NOW + 300, '00000005')), null);
    const stored = await state();
    assert.deepEqual(
      [stored?.availability, stored?.sequence, stored?.version],
      ['Busy', '00000005', 1],
    );
    assert.equal(await changeCount(), 1);
  });

  it('falls back to the observation time when either side has no sequence', async () => {
    await apply(sequenced('Busy', NOW + 100));
    assert.equal(await apply(sequenced('Away', NOW + 50, '00000009')), null);
    assert.ok(await apply(sequenced('Away', NOW + 150, '00000009')));
    assert.equal(await apply(sequenced('Busy', NOW + 120)), null);
    assert.ok(await apply(sequenced('Available', NOW + 200)));
    assert.deepEqual(
      [(await state())?.availability, (await state())?.sequence],
      ['Available', '00000009'],
    );
    assert.equal(await apply(sequenced('Away', NOW + 300, '00000009')), null);
    assert.ok(await apply(sequenced('Away', NOW + 10, '0000000A')));
  });

  it('stores the sequence, and the newer one of a repeated presence', async () => {
    await apply(sequenced('Busy', NOW, '00000001'));
    assert.equal((await state())?.sequence, '00000001');
    assert.equal(await apply(sequenced('Busy', NOW - 10, '00000002')), null);
    assert.deepEqual([(await state())?.sequence, (await state())?.observedAt], ['00000002', NOW]);
    assert.equal(await apply(sequenced('Away', NOW + 10, '00000001')), null);
    assert.equal((await state())?.availability, 'Busy');
  });

  it('compares sequences case-sensitively as plain strings and ignores odd values', async () => {
    await apply(sequenced('Busy', NOW, 'B'));
    assert.ok(await apply(sequenced('Away', NOW - 1, 'a')));
    assert.equal((await state())?.sequence, 'a');
    await fixture.store.db.deleteFrom('presence_state').execute();
    await apply(sequenced('Busy', NOW, 42));
    assert.equal((await state())?.sequence, null);
    assert.ok(await apply(sequenced('Away', NOW + 1, '')));
    assert.ok(await apply(sequenced('Available', NOW + 2, { n: 1 })));
    assert.equal((await state())?.sequence, null);
  });
});

forEachEngine('presence changes outbox', (fixture) => {
  const claim = (owner: string, now = NOW, limit = 10) =>
    claimPresenceChanges(fixture.store, { owner, limit, leaseMs: 1000, now });
  const observe = (userId: string, availability: string, observedAt = NOW) =>
    applyPresenceObservation(fixture.store.db, {
      ...observation(availability, availability, observedAt),
      userId,
    });

  it('hands out changes in order, one consumer at a time, until consumed', async () => {
    await observe('a', 'Busy');
    await observe('b', 'Busy');
    await observe('a', 'Available', NOW + 1);
    const first = await claim('bot-1');
    assert.deepEqual(
      first.map((c) => `${c.userId}:${c.to.availability}`),
      ['a:Busy', 'b:Busy', 'a:Available'],
    );
    assert.deepEqual(await claim('bot-2', NOW + 999), []);
    await markPresenceChangesConsumed(fixture.store.db, { owner: 'bot-1', now: NOW + 5 }, [
      first[0]!.id,
      first[1]!.id,
    ]);
    const again = await claim('bot-2', NOW + 1000);
    assert.deepEqual(
      again.map((c) => c.id),
      [first[2]!.id],
    );
    await markPresenceChangesConsumed(fixture.store.db, { owner: 'bot-2', now: NOW + 2000 }, [
      first[2]!.id,
    ]);
    assert.deepEqual(await claim('bot-3', NOW + 10_000), []);
  });

  it('purges consumed changes before the cutoff, keeping unconsumed ones', async () => {
    await observe('a', 'Busy');
    await observe('b', 'Busy');
    const [a] = await claim('bot-1', NOW, 1);
    await markPresenceChangesConsumed(fixture.store.db, { owner: 'bot-1', now: NOW + 5 }, [a!.id]);
    assert.equal(await purgeConsumedPresenceChanges(fixture.store.db, NOW + 6), 1);
    const left = await claim('bot-1', NOW + 10_000);
    assert.deepEqual(
      left.map((c) => c.userId),
      ['b'],
    );
  });

  it('gives each change to one of two concurrent consumers', async () => {
    for (let i = 0; i < 100; i += 1) await observe(`user-${i}`, 'Busy');
    const stores =
      fixture.engine === 'postgres'
        ? [await fixture.open(), await fixture.open()]
        : [fixture.store, fixture.store];
    const drain = async (owner: string, index: number) => {
      const got: number[] = [];
      for (;;) {
        const changes = await claimPresenceChanges(stores[index]!, {
          owner,
          limit: 7,
          leaseMs: 60_000,
          now: NOW,
        });
        if (changes.length === 0) return got;
        got.push(...changes.map((c) => c.id));
      }
    };
    const [first, second] = await Promise.all([drain('bot-1', 0), drain('bot-2', 1)]);
    assert.equal(new Set([...first, ...second]).size, 100);
    assert.equal(first.length + second.length, 100);
  });
});
