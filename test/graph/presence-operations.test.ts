import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../../src/logging/logger';
import { createGraphClient, type GraphClient } from '../../src/graph/graph-client';
import { chunked } from '../../src/graph/presence-operations';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { expectAppError } from '../helpers/expect-app-error';
import {
  ADELE_ID,
  ALEX_ID,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../helpers/tenant-simulator-harness';

const BULK_ROUTE = 'POST /v1.0/communications/getPresencesByUserId';

describe('graph client: presence against the tenant simulator', () => {
  let sim: RunningSimulator;
  let graph: GraphClient;
  let token: string;

  const bulkCalls = (): number => sim.counters().routes[BULK_ROUTE] ?? 0;

  before(async () => {
    sim = await startTestSimulator();
    graph = createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger() });
    token = await tokenFor(sim, ALEX_ID);
  });
  after(() => sim.stop());

  it('reads one person’s presence', async () => {
    sim.setPresence(MEGAN_ID, { availability: 'Busy', activity: 'InAMeeting' });
    assert.deepEqual(await graph.getPresence(token, MEGAN_ID), {
      id: MEGAN_ID,
      availability: 'Busy',
      activity: 'InAMeeting',
      sequenceNumber: sim.getPresence(MEGAN_ID).sequenceNumber,
    });
  });

  it('reads 700 people in two requests of at most 650 ids', async () => {
    sim.setPresence(ADELE_ID, { availability: 'DoNotDisturb', activity: 'Presenting' });
    const strangers = Array.from({ length: 698 }, () => randomUUID());
    const ids = [MEGAN_ID, ...strangers.slice(0, 600), ADELE_ID, ...strangers.slice(600)];
    const before = bulkCalls();
    const presences = await graph.getPresencesByUserId(token, ids);
    assert.equal(bulkCalls() - before, 2);
    assert.equal(presences.length, 700);
    assert.deepEqual(
      presences.find((p) => p.id === ADELE_ID),
      {
        id: ADELE_ID,
        availability: 'DoNotDisturb',
        activity: 'Presenting',
        sequenceNumber: sim.getPresence(ADELE_ID).sequenceNumber,
      },
    );
    assert.equal(presences.find((p) => p.id === strangers[0])?.availability, 'PresenceUnknown');
  });

  it('asks once for ids that differ only in case, and not at all for none', async () => {
    const before = bulkCalls();
    const presences = await graph.getPresencesByUserId(token, [MEGAN_ID, MEGAN_ID.toUpperCase()]);
    assert.equal(presences.length, 1);
    assert.deepEqual(await graph.getPresencesByUserId(token, []), []);
    assert.equal(bulkCalls() - before, 1);
  });

  it('reports GRAPH_NOT_FOUND for someone who is not in the directory', async () => {
    const error = await expectAppError(graph.getPresence(token, randomUUID()), 'GRAPH_NOT_FOUND');
    assert.equal((error as { graphCode?: string }).graphCode, 'NotFound');
  });

  it('refuses an empty user id instead of calling a different URL', async () => {
    await expectAppError(graph.getPresence(token, ' '), 'GRAPH_BAD_REQUEST');
  });
});

describe('chunked', () => {
  it('cuts into consecutive chunks of at most the given size', () => {
    assert.deepEqual(chunked([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunked([], 650), []);
  });
});
