import assert from 'node:assert/strict';
import type { GraphSubscriptionRecord } from '../../src/store/graph-subscriptions';
import { chooseAction } from '../../src/watch/subscription-actions';

const NOW = 1_800_000_000_000;
const CONFIG = { debounceMs: 10_000 };

function record(overrides: Partial<GraphSubscriptionRecord>): GraphSubscriptionRecord {
  return {
    tenantId: 't',
    ownerId: 'owner',
    graphSubscriptionId: 'sub-1',
    coveredIds: ['a'],
    desiredIds: ['a'],
    hasClientState: true,
    certificateId: 'cert',
    expiresAt: NOW + 40 * 60_000,
    state: 'active',
    lastErrorCode: null,
    attempts: 1,
    nextActionAt: NOW,
    leaseOwner: 'me',
    leaseUntil: NOW + 60_000,
    dirtySince: null,
    updatedAt: NOW,
    ...overrides,
  };
}

describe('chooseAction', () => {
  it('checks the sign-in of a failed-auth owner before anything else', () => {
    assert.equal(
      chooseAction(record({ state: 'failed-auth', desiredIds: [] }), CONFIG, NOW),
      'check-sign-in',
    );
  });

  it('retires a subscription nobody needs', () => {
    assert.equal(chooseAction(record({ desiredIds: [] }), CONFIG, NOW), 'retire');
  });

  it('creates when there is no Graph subscription', () => {
    assert.equal(
      chooseAction(record({ graphSubscriptionId: null, coveredIds: [] }), CONFIG, NOW),
      'create',
    );
  });

  it('recreates a dirty subscription only once its debounce window is over', () => {
    const dirty = { desiredIds: ['a', 'b'] };
    assert.equal(
      chooseAction(record({ ...dirty, dirtySince: NOW - 10_000 }), CONFIG, NOW),
      'recreate',
    );
    assert.equal(chooseAction(record({ ...dirty, dirtySince: NOW - 5_000 }), CONFIG, NOW), 'renew');
  });

  it('renews anything else that is due', () => {
    assert.equal(chooseAction(record({}), CONFIG, NOW), 'renew');
  });
});
