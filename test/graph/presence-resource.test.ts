import assert from 'node:assert/strict';
import { presenceResource, uniqueIds } from '../../src/graph/presence-resource';
import { expectAppError } from '../helpers/expect-app-error';

const ids = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);

describe('presenceResource', () => {
  it('names one person by path', () => {
    assert.equal(
      presenceResource(['7c3e9a10-5b2d-4f6e-9a1c-4e21a0b30001']),
      '/communications/presences/7c3e9a10-5b2d-4f6e-9a1c-4e21a0b30001',
    );
  });

  it('filters several people with quoted ids', () => {
    assert.equal(
      presenceResource(['a1', 'b2', 'c3']),
      "/communications/presences?$filter=id in ('a1','b2','c3')",
    );
  });

  it('drops repeats that differ only in case, keeping the first spelling', () => {
    assert.equal(
      presenceResource(['AB', 'ab', 'cd']),
      "/communications/presences?$filter=id in ('AB','cd')",
    );
    assert.equal(presenceResource(['AB', 'ab']), '/communications/presences/AB');
    assert.deepEqual(uniqueIds(['x', 'X', 'y', 'x']), ['x', 'y']);
  });

  it('escapes a quote inside an id so the filter stays well formed', () => {
    assert.equal(
      presenceResource(["o'x", 'y']),
      "/communications/presences?$filter=id in ('o''x','y')",
    );
  });

  it('accepts 650 people and refuses 651 with WATCH_LIMIT_EXCEEDED', async () => {
    assert.equal(presenceResource(ids(650)).split(',').length, 650);
    await expectAppError(
      Promise.resolve().then(() => presenceResource(ids(651))),
      'WATCH_LIMIT_EXCEEDED',
    );
  });

  it('refuses an empty id list', async () => {
    await expectAppError(
      Promise.resolve().then(() => presenceResource([])),
      'GRAPH_BAD_REQUEST',
    );
  });
});
