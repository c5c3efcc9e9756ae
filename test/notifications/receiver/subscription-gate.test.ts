import assert from 'node:assert/strict';
import { clientStateDigest } from '../../../src/notifications/receiver/notification-envelope';
import { createSubscriptionGate } from '../../../src/notifications/receiver/subscription-gate';

describe('subscription gate', () => {
  let clock: number;
  let ours: Map<string, string>;
  let listReads: number;
  let secretReads: number;

  const gate = () =>
    createSubscriptionGate({
      secrets: {
        clientStateFor: async (id) => {
          secretReads += 1;
          return ours.get(id);
        },
      },
      listSubscriptionIds: async () => {
        listReads += 1;
        return [...ours.keys()];
      },
      now: () => clock,
    });

  beforeEach(() => {
    clock = 0;
    ours = new Map([['sub-a', 'secret-a']]);
    listReads = 0;
    secretReads = 0;
  });

  it('admits our subscription with its clientState digest, and nothing else', async () => {
    const g = gate();
    assert.equal(await g.admits('sub-a', clientStateDigest('secret-a')), true);
    assert.equal(await g.admits('sub-a', clientStateDigest('secret-b')), false);
    assert.equal(await g.admits('sub-a', null), false);
    assert.equal(await g.admits(null, clientStateDigest('secret-a')), false);
    assert.equal(await g.admits('sub-x', clientStateDigest('secret-a')), false);
  });

  it('reads the id list at most once a second however many unknown ids arrive', async () => {
    const g = gate();
    for (let i = 0; i < 1000; i += 1) await g.admits(`forged-${i}`, clientStateDigest('x'));
    assert.equal(listReads, 1);
    assert.equal(secretReads, 0);
    clock += 1000;
    await g.admits('forged-late', clientStateDigest('x'));
    assert.equal(listReads, 2);
  });

  it('learns a subscription created after its last read, and reads each secret once', async () => {
    const g = gate();
    assert.equal(await g.admits('sub-a', clientStateDigest('secret-a')), true);
    ours.set('sub-new', 'secret-new');
    clock += 1000;
    for (let i = 0; i < 5; i += 1) {
      assert.equal(await g.admits('sub-new', clientStateDigest('secret-new')), true);
    }
    assert.equal(secretReads, 2);
  });

  it('forgets a subscription that is gone', async () => {
    const g = gate();
    assert.equal(await g.admits('sub-a', clientStateDigest('secret-a')), true);
    ours.delete('sub-a');
    clock += 1000;
    await g.admits('sub-other', clientStateDigest('x'));
    assert.equal(await g.admits('sub-a', clientStateDigest('secret-a')), false);
  });
});
