import assert from 'node:assert/strict';
import { createVerifiedTokenCache } from '../../../src/notifications/tokens/verified-token-cache';

const NOW = 1_740_000_000;
const entry = (tenantId: string, expiresAt = NOW + 3600) => ({
  tenantId,
  audience: 'app',
  expiresAt,
});

describe('verified-token cache', () => {
  it('returns what was stored for the same token string only', () => {
    const cache = createVerifiedTokenCache(10);
    cache.set('token-a', entry('tenant-a'), NOW);
    assert.deepEqual(cache.get('token-a'), entry('tenant-a'));
    assert.equal(cache.get('token-b'), undefined);
  });

  it('holds at most its capacity, dropping the least recently used entry', () => {
    const cache = createVerifiedTokenCache(2);
    cache.set('a', entry('a'), NOW);
    cache.set('b', entry('b'), NOW);
    cache.get('a');
    cache.set('c', entry('c'), NOW);
    assert.equal(cache.size, 2);
    assert.ok(cache.get('a'));
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('c'));
  });

  it('evicts expired entries before live ones when full', () => {
    const cache = createVerifiedTokenCache(2);
    cache.set('live', entry('live'), NOW);
    cache.set('expired', entry('expired', NOW - 1), NOW - 10);
    cache.get('expired');
    cache.set('new', entry('new'), NOW);
    assert.ok(cache.get('live'));
    assert.equal(cache.get('expired'), undefined);
  });

  it('forgets a deleted token', () => {
    const cache = createVerifiedTokenCache(2);
    cache.set('a', entry('a'), NOW);
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 0);
  });
});
