import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import {
  ALEX_ID,
  graphCall,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../../../helpers/tenant-simulator-harness';

describe('simulated Graph directory and presence reads', () => {
  let sim: RunningSimulator;
  let token: string;

  before(async () => {
    sim = await startTestSimulator();
    token = await tokenFor(sim, ALEX_ID);
  });
  after(() => sim.stop());

  it('seeds at least 25 people, including the Playground six with their ids', async () => {
    const all = await graphCall(sim, token, 'GET', '/users?$top=999');
    const people = all.body.value as {
      id: string;
      displayName: string;
      mail: string;
      jobTitle: string;
    }[];
    assert.ok(people.length >= 25);
    assert.ok(people.every((p) => p.mail.endsWith('@example.com') && p.jobTitle.length > 0));
    const lynne = people.find((p) => p.displayName === 'Lynne Robbins');
    assert.equal(lynne?.id, '00000000-0000-0000-0000-0000000000025');
    assert.equal(sim.tenantId, '00000000-0000-0000-0000-0000000000001');
  });

  it('filters with startswith, selects, pages with $top and searches with ConsistencyLevel', async () => {
    const filtered = await graphCall(
      sim,
      token,
      'GET',
      `/users?$filter=${encodeURIComponent("startswith(mail,'megan')")}&$select=id,mail`,
    );
    assert.deepEqual(filtered.body.value, [{ id: MEGAN_ID, mail: 'MeganB@example.com' }]);
    const page = await graphCall(sim, token, 'GET', '/users?$top=5');
    assert.equal((page.body.value as unknown[]).length, 5);
    assert.match(String(page.body['@odata.nextLink']), /\$skiptoken=/);
    const search = `/users?$search=${encodeURIComponent('"displayName:bowen"')}`;
    assert.equal((await graphCall(sim, token, 'GET', search)).status, 400);
    const found = await graphCall(sim, token, 'GET', search, undefined, {
      ConsistencyLevel: 'eventual',
    });
    assert.deepEqual(
      (found.body.value as { id: string }[]).map((u) => u.id),
      [MEGAN_ID],
    );
  });

  it('serves /me, /users/{id} and 404 for strangers', async () => {
    assert.equal((await graphCall(sim, token, 'GET', '/me')).body.id, ALEX_ID);
    assert.equal(
      (await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}`)).body.displayName,
      'Megan Bowen',
    );
    assert.equal((await graphCall(sim, token, 'GET', '/users/no-such-person')).status, 404);
  });

  it('answers /users/{id} for a Playground person id with their Entra user, and 404 for others', async () => {
    const adele = await graphCall(sim, token, 'GET', '/users/user-id-2?$select=id,displayName');
    assert.deepEqual(
      [adele.status, adele.body.id, adele.body.displayName],
      [200, '00000000-0000-0000-0000-0000000000022', 'Adele Vance'],
    );
    assert.equal((await graphCall(sim, token, 'GET', '/users/user-id-77')).status, 404);
  });

  it('serves presence four ways and caps getPresencesByUserId at 650 ids', async () => {
    sim.setPresence(MEGAN_ID, { availability: 'Away', activity: 'Away' });
    assert.equal(
      (await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}/presence`)).body.availability,
      'Away',
    );
    assert.equal(
      (await graphCall(sim, token, 'GET', `/communications/presences/${MEGAN_ID}`)).body
        .availability,
      'Away',
    );
    assert.equal((await graphCall(sim, token, 'GET', '/me/presence')).body.id, ALEX_ID);
    const ids = Array.from({ length: 651 }, (_, i) => (i === 0 ? MEGAN_ID : `someone-${i}`));
    const ok = await graphCall(sim, token, 'POST', '/communications/getPresencesByUserId', {
      ids: ids.slice(0, 650),
    });
    assert.equal(ok.status, 200);
    assert.equal((ok.body.value as unknown[]).length, 650);
    assert.equal(
      (await graphCall(sim, token, 'POST', '/communications/getPresencesByUserId', { ids })).status,
      400,
    );
  });

  it('refuses calls without a token, and without the presence scope', async () => {
    assert.equal((await graphCall(sim, undefined, 'GET', '/users')).status, 401);
    const narrow = await tokenFor(sim, MEGAN_ID, { scopes: ['User.Read'] });
    assert.equal((await graphCall(sim, narrow, 'GET', `/users/${ALEX_ID}/presence`)).status, 403);
  });
});
