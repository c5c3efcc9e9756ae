import assert from 'node:assert/strict';
import os from 'node:os';
import {
  createProcessIdentity,
  deadOwnerPredicate,
  formatProcessIdentity,
  isPidAlive,
  leaseOwnerOf,
  parseLeaseOwner,
  type ProcessIdentity,
} from '../../src/app/process-identity';
import { deadPid } from '../helpers/dead-pid';

const self: ProcessIdentity = createProcessIdentity('host-a', process.pid, 'boot-self');

describe('process identity', () => {
  it('is this host, this pid and a fresh boot id per creation', () => {
    const first = createProcessIdentity();
    const second = createProcessIdentity();
    assert.equal(first.hostname, os.hostname());
    assert.equal(first.pid, process.pid);
    assert.notEqual(first.bootId, second.bootId);
  });

  it('names each role as <hostname>/<pid>/<boot id>/<role> and parses back', () => {
    const identity = createProcessIdentity('host-a', 42, 'b00t');
    assert.equal(formatProcessIdentity(identity), 'host-a/42/b00t');
    assert.equal(leaseOwnerOf(identity, 'inbox'), 'host-a/42/b00t/inbox');
    assert.equal(leaseOwnerOf(identity, 'alerts'), 'host-a/42/b00t/alerts');
    assert.equal(leaseOwnerOf(identity, 'keeper'), 'host-a/42/b00t/keeper');
    assert.deepEqual(parseLeaseOwner(leaseOwnerOf(identity, 'keeper')), identity);
    assert.deepEqual(parseLeaseOwner('host-a/42/b00t'), identity);
  });

  it('does not parse owners of another shape', () => {
    for (const owner of [
      '',
      'worker-8c1f6d3e-0000-4000-8000-000000000000',
      'alerts-8c1f6d3e',
      'host-a/42',
      'host-a/42/b00t/inbox/extra',
      'host-a//b00t',
      '/42/b00t',
      'host-a/0/b00t',
      'host-a/-3/b00t',
      'host-a/042/b00t',
      'host-a/4.2/b00t',
      'host-a/99999999999/b00t',
      'host-a/42/ /inbox',
    ]) {
      assert.equal(parseLeaseOwner(owner), undefined, owner);
    }
  });

  it('tells a live pid from one whose process has exited', async () => {
    assert.equal(isPidAlive(process.pid), true);
    assert.equal(isPidAlive(await deadPid()), false);
  });
});

describe('dead owner predicate', () => {
  const isDead = deadOwnerPredicate(self);

  it('releases owners on this host whose process has exited', async () => {
    const gone = createProcessIdentity('host-a', await deadPid(), 'boot-old');
    assert.equal(isDead(leaseOwnerOf(gone, 'inbox')), true);
    assert.equal(isDead(formatProcessIdentity(gone)), true);
  });

  it('keeps owners on this host whose process is alive', () => {
    const parent = createProcessIdentity('host-a', process.ppid, 'boot-parent');
    assert.equal(isDead(leaseOwnerOf(parent, 'alerts')), false);
  });

  it('releases an earlier boot that had our own pid, and keeps our own leases', () => {
    const earlier = createProcessIdentity('host-a', process.pid, 'boot-old');
    assert.equal(isDead(leaseOwnerOf(earlier, 'keeper')), true);
    assert.equal(isDead(leaseOwnerOf(self, 'keeper')), false);
  });

  it('keeps owners of other hosts, dead pid or not', async () => {
    const elsewhere = createProcessIdentity('host-b', await deadPid(), 'boot-b');
    assert.equal(isDead(leaseOwnerOf(elsewhere, 'inbox')), false);
    const samePidElsewhere = createProcessIdentity('host-b', process.pid, 'boot-b');
    assert.equal(isDead(leaseOwnerOf(samePidElsewhere, 'inbox')), false);
  });

  it('keeps owners it cannot read', () => {
    for (const owner of ['worker-1234', 'alerts-x', 'host-a/not-a-pid/boot', 'host-a', '']) {
      assert.equal(isDead(owner), false, owner);
    }
  });
});
