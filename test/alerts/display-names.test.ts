import assert from 'node:assert/strict';
import { createDisplayNameLookup } from '../../src/alerts/display-names';
import { createGraphClient } from '../../src/graph';
import { silentLogger } from '../../src/logging/logger';
import { listWatches, upsertWatch } from '../../src/store/watches';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { forEachEngine } from '../helpers/for-each-engine';
import { ALEX_ID, MEGAN_ID, startTestSimulator } from '../helpers/tenant-simulator-harness';
import { SimTokenProvider } from '../watch/sim-token-provider';

const TENANT = 'tenant-1';
const NOW = 1_700_000_000_000;

forEachEngine('display name lookup for alerts', (fixture) => {
  let sim: RunningSimulator;
  let tokens: SimTokenProvider;

  beforeEach(async () => {
    sim = await startTestSimulator();
    tokens = new SimTokenProvider(sim);
    for (const [conversationId, targetName] of [
      ['conv-a', 'Megan B.'],
      ['conv-b', undefined],
    ] as const) {
      await upsertWatch(
        fixture.store.db,
        {
          tenantId: TENANT,
          conversationId,
          watcherId: ALEX_ID,
          targetId: MEGAN_ID,
          ...(targetName ? { targetName } : {}),
          onlyWhenAvailable: false,
          once: false,
          includeActivity: false,
        },
        NOW,
      );
    }
  });

  afterEach(async () => {
    await sim.stop();
  });

  const lookup = () =>
    createDisplayNameLookup({
      db: fixture.store.db,
      graph: createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger() }),
      tokens,
      logger: silentLogger(),
    });
  const storedNames = async () =>
    (await listWatches(fixture.store.db)).map((watch) => watch.targetName);

  it('stores a name it looked up with every watch of the person', async () => {
    const names = await lookup()(TENANT, [MEGAN_ID]);
    assert.equal(names.get(MEGAN_ID), 'Megan Bowen');
    assert.deepEqual(await storedNames(), ['Megan Bowen', 'Megan Bowen']);
  });

  it('finds no name and keeps the stored ones when no watcher has a token', async () => {
    tokens.signOut(ALEX_ID);
    const names = await lookup()(TENANT, [MEGAN_ID]);
    assert.equal(names.size, 0);
    assert.deepEqual(await storedNames(), ['Megan B.', undefined]);
  });
});
