import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../../../tools/simulator/simulator-server';
import { createTempDirectory, type TempDirectory } from '../../../helpers/temp-files';
import {
  graphCall,
  MEGAN_ID,
  startTestSimulator,
  tokenFor,
} from '../../../helpers/tenant-simulator-harness';

const SEED_TENANT = '3f1c9b7e-2a4d-4c8e-9b6f-1d2e3f4a5b6c';
const ADA_ID = 'a0000000-0000-4000-8000-000000000001';
const CHARLES_ID = 'a0000000-0000-4000-8000-000000000002';

const seed = {
  tenantId: SEED_TENANT,
  users: [
    { id: ADA_ID, displayName: 'Ada Lovelace', mail: 'ada@contoso.test', jobTitle: 'Engineer' },
    {
      id: CHARLES_ID,
      displayName: 'Charles Babbage',
      mail: 'charles@contoso.test',
      userPrincipalName: 'cbabbage@contoso.test',
      playgroundUserId: 'user-id-0',
    },
  ],
};

describe('simulator seed file', function () {
  this.timeout(20_000);
  let files: TempDirectory;

  before(async () => {
    files = await createTempDirectory();
  });
  after(() => files.remove());

  describe('a valid seed', () => {
    let sim: RunningSimulator;

    before(async () => {
      sim = await startTestSimulator({
        seedFile: await files.write('org.json', JSON.stringify(seed)),
      });
    });
    after(() => sim.stop());

    it('replaces the demo organisation and its tenant', async () => {
      assert.equal(sim.tenantId, SEED_TENANT);
      const token = await tokenFor(sim, ADA_ID);
      const users = await graphCall(sim, token, 'GET', '/users?$select=id,userPrincipalName');
      assert.equal(users.status, 200);
      assert.deepEqual(users.body.value, [
        { id: ADA_ID, userPrincipalName: 'ada@contoso.test' },
        { id: CHARLES_ID, userPrincipalName: 'cbabbage@contoso.test' },
      ]);
      assert.equal((await graphCall(sim, token, 'GET', `/users/${MEGAN_ID}`)).status, 404);
    });

    it('keeps the seed defaults and the Playground id mapping', async () => {
      const token = await tokenFor(sim, CHARLES_ID);
      const me = await graphCall(sim, token, 'GET', '/me');
      assert.equal(me.body.displayName, 'Charles Babbage');
      assert.equal(me.body.preferredLanguage, 'en-US');
      sim.setPresence('user-id-0', { availability: 'Away', activity: 'Away' });
      const presence = await graphCall(sim, token, 'GET', `/users/${CHARLES_ID}/presence`);
      assert.equal(presence.body.availability, 'Away');
    });
  });

  it('refuses a seed that misses a required field, naming the file and the field', async () => {
    const broken = { users: [{ id: ADA_ID, displayName: 'Ada Lovelace' }] };
    const file = await files.write('no-mail.json', JSON.stringify(broken));
    await assert.rejects(startTestSimulator({ seedFile: file }), (error: Error) => {
      assert.match(error.message, /^seed file .*no-mail\.json: invalid seed file: users\.0\.mail:/);
      return true;
    });
  });

  it('refuses a seed that is not JSON or has no people', async () => {
    const notJson = await files.write('not-json.json', '{ users: [');
    await assert.rejects(startTestSimulator({ seedFile: notJson }), /^Error: seed file .*not-json/);
    const empty = await files.write('empty.json', JSON.stringify({ users: [] }));
    await assert.rejects(startTestSimulator({ seedFile: empty }), /invalid seed file: users:/);
    await assert.rejects(
      startTestSimulator({ seedFile: `${notJson}.missing` }),
      /^Error: seed file .*ENOENT/,
    );
  });

  it('refuses a seed with a duplicate id', async () => {
    const twice = { users: [seed.users[0], { ...seed.users[1], id: ADA_ID }] };
    const file = await files.write('twice.json', JSON.stringify(twice));
    await assert.rejects(startTestSimulator({ seedFile: file }), /duplicate user id/);
  });
});
