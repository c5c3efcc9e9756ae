import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import {
  graphCall,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
  ALEX_ID,
} from '../../../helpers/tenant-simulator-harness';

function errorOf(body: Record<string, unknown>): { code?: string; message?: string } {
  return (body.error ?? {}) as { code?: string; message?: string };
}

describe('simulated Graph: strict answers to unknown paths and queries', () => {
  let sim: RunningSimulator;
  let token: string;

  before(async () => {
    sim = await startTestSimulator();
    token = await tokenFor(sim, ALEX_ID);
  });
  after(() => sim.stop());

  it('answers an unknown segment with 400 BadRequest, not 404', async () => {
    const response = await graphCall(sim, token, 'GET', '/communications/nothingHere');
    assert.equal(response.status, 400);
    assert.equal(errorOf(response.body).code, 'BadRequest');
    assert.match(String(errorOf(response.body).message), /Resource not found for the segment/);
    assert.equal((await graphCall(sim, token, 'POST', '/subscriptions/x/renew')).status, 400);
  });

  it('refuses query options an operation does not support', async () => {
    const presence = await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence?$top=1`);
    assert.equal(presence.status, 400);
    assert.equal(errorOf(presence.body).code, 'BadRequest');
    const subscriptions = await graphCall(sim, token, 'GET', "/subscriptions?$filter=id eq 'x'");
    assert.equal(subscriptions.status, 400);
    assert.equal(errorOf(subscriptions.body).code, 'BadRequest');
    const users = await graphCall(sim, token, 'GET', '/users?$apply=groupby((jobTitle))');
    assert.equal(users.status, 400);
    assert.equal(errorOf(users.body).code, 'Request_UnsupportedQuery');
    const user = await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}?$top=2`);
    assert.equal(user.status, 400);
    assert.equal(errorOf(user.body).code, 'Request_UnsupportedQuery');
  });

  it('still serves the query options it supports, and ignores parameters without $', async () => {
    assert.equal(
      (await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}?$select=id,mail&foo=bar`)).status,
      200,
    );
    assert.equal((await graphCall(sim, token, 'GET', '/users?$top=2&$count=true')).status, 200);
    assert.equal((await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence`)).status, 200);
  });

  it('keeps or and and inside quoted $filter values', async () => {
    const filter = encodeURIComponent(
      "startswith(displayName,'Megan or Adele') or mail eq 'MeganB@example.com'",
    );
    const response = await graphCall(sim, token, 'GET', `/users?$filter=${filter}`);
    assert.equal(response.status, 200);
    assert.deepEqual(
      (response.body.value as { id: string }[]).map((u) => u.id),
      [MEGAN_ID],
    );
    const quoted = encodeURIComponent("displayName eq 'Tom and Jerry'");
    const none = await graphCall(sim, token, 'GET', `/users?$filter=${quoted}`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body.value, []);
  });
});
