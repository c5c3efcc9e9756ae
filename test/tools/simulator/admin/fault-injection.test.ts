import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import {
  ALEX_ID,
  graphCall,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../../../helpers/tenant-simulator-harness';

async function admin(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('simulator admin API and fault injection', () => {
  let sim: RunningSimulator;
  let token: string;

  before(async () => {
    sim = await startTestSimulator();
    token = await tokenFor(sim, ALEX_ID);
  });
  afterEach(() => sim.faults.clearFaults());
  after(() => sim.stop());

  it('answers 429 with Retry-After on a throttled route', async () => {
    const set = await admin(sim, 'PUT', '/_sim/faults', {
      route: 'POST /v1.0/communications/getPresencesByUserId',
      throttleShare: 1,
      retryAfterSeconds: 7,
    });
    assert.equal(set.status, 200);
    const response = await graphCall(sim, token, 'POST', '/communications/getPresencesByUserId', {
      ids: [MEGAN_ID],
    });
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '7');
    assert.equal((response.body.error as { code: string }).code, 'TooManyRequests');
    assert.equal((await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence`)).status, 200);
  });

  it('answers 503 on a route made unavailable', async () => {
    sim.faults.setRouteFault('/v1.0/users/:id/presence', { unavailableShare: 1 });
    assert.equal((await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence`)).status, 503);
  });

  it('sets presence, counts calls and reports them', async () => {
    const set = await admin(sim, 'PUT', '/_sim/presence/user-id-1', {
      availability: 'busy',
      activity: 'inameeting',
    });
    assert.equal(set.status, 200);
    const read = await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence`);
    assert.equal(read.body.availability, 'Busy');
    assert.equal(read.body.activity, 'InAMeeting');
    const counters = await admin(sim, 'GET', '/_sim/counters');
    assert.ok(
      ((counters.body.routes as Record<string, number>)['GET /v1.0/users/:id/presence'] ?? 0) >= 1,
    );
  });

  it('advances and speeds up the clock', async () => {
    const before = sim.clock.now();
    await admin(sim, 'POST', '/_sim/clock/advance', { seconds: 3600 });
    assert.ok(sim.clock.now() - before >= 3_600_000);
    assert.equal((await admin(sim, 'PUT', '/_sim/clock', { speed: 0 })).status, 400);
  });
});
