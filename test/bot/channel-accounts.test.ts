import assert from 'node:assert/strict';
import { createChannelAccountDirectory } from '../../src/bot/channel-accounts';
import { forEachEngine } from '../helpers/for-each-engine';

const TENANT = '00000000-0000-0000-0000-0000000000001';
const ALEX = '00000000-0000-0000-0000-0000000000020';

forEachEngine('channel account directory', (fixture) => {
  it('finds a user after a restart, before they talk again', async () => {
    const before = createChannelAccountDirectory(fixture.store.db);
    await before.remember({
      tenantId: TENANT,
      aadObjectId: ALEX.toUpperCase(),
      channelUserId: 'user-id-0',
      channelId: 'msteams',
      name: 'Alex Wilber',
    });
    const afterRestart = createChannelAccountDirectory(fixture.store.db);
    assert.deepEqual(await afterRestart.find(TENANT, ALEX), {
      channelUserId: 'user-id-0',
      channelId: 'msteams',
    });
    assert.equal(
      await afterRestart.find(TENANT, '00000000-0000-0000-0000-0000000000021'),
      undefined,
    );
  });

  it('follows a user to a new channel account', async () => {
    const directory = createChannelAccountDirectory(fixture.store.db);
    await directory.remember({
      tenantId: TENANT,
      aadObjectId: ALEX,
      channelUserId: '29:old',
      channelId: 'msteams',
      name: 'Alex Wilber',
    });
    await directory.remember({
      tenantId: TENANT,
      aadObjectId: ALEX,
      channelUserId: '29:new',
      channelId: 'msteams',
      name: 'Alex Wilber',
    });
    const fresh = createChannelAccountDirectory(fixture.store.db);
    assert.equal((await fresh.find(TENANT, ALEX))?.channelUserId, '29:new');
  });
});
