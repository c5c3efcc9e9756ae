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

  it('records when a user was last seen, at most once an hour, so idle accounts can expire', async () => {
    let now = 1_700_000_000_000;
    const directory = createChannelAccountDirectory(fixture.store.db, () => now);
    const alex = {
      tenantId: TENANT,
      aadObjectId: ALEX,
      channelUserId: 'user-id-0',
      channelId: 'msteams',
      name: 'Alex Wilber',
    };
    const lastSeen = async () =>
      (
        await fixture.store.db
          .selectFrom('channel_accounts')
          .select('updated_at')
          .executeTakeFirstOrThrow()
      ).updated_at;
    await directory.remember(alex);
    const first = now;
    now += 10 * 60_000;
    await directory.remember(alex);
    assert.equal(await lastSeen(), first, 'no write within the hour');
    now += 2 * 60 * 60_000;
    await directory.remember(alex);
    assert.equal(await lastSeen(), now);
  });

  it('writes the account again after it was purged and forgotten', async () => {
    const directory = createChannelAccountDirectory(fixture.store.db);
    const alex = {
      tenantId: TENANT,
      aadObjectId: ALEX,
      channelUserId: 'user-id-0',
      channelId: 'msteams',
      name: 'Alex Wilber',
    };
    await directory.remember(alex);
    await fixture.store.db.deleteFrom('channel_accounts').execute();
    directory.forget(TENANT, ALEX);
    assert.equal(await directory.find(TENANT, ALEX), undefined);
    await directory.remember(alex);
    assert.equal((await directory.find(TENANT, ALEX))?.channelUserId, 'user-id-0');
    assert.ok(await createChannelAccountDirectory(fixture.store.db).find(TENANT, ALEX));
  });
});
