import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { upsertChannelAccount } from '../../src/store/channel-accounts';
import { raiseSigninAlert } from '../../src/store/signin-alerts';
import { listWatches } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import {
  BOT_ID,
  CHANNEL_ID,
  GROUP_CONVERSATION,
  GROUP_ID,
  PERSONAL_ID,
  TENANT_ID,
  type BotHarness,
  useBotHarness,
} from './bot-harness';
import { seedConversation, seedWatch } from './conversation-seeds';

const NOW = 1_700_000_000_000;
const ALEX_USER_STATE = `msteams/${BOT_ID}/users/user-id-0`;
const ALEX_PERSONAL_STATE = `msteams/${BOT_ID}/conversations/${PERSONAL_ID}`;
const GROUP_STATE = `msteams/${BOT_ID}/conversations/${GROUP_ID}`;
const MEGAN_USER_STATE = `msteams/${BOT_ID}/users/user-id-1`;

forEachEngine('uninstall from a personal chat', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  beforeEach(async () => {
    const db = fixture.store.db;
    await seedConversation(db, PERSONAL_ID, 'personal');
    await seedConversation(db, GROUP_ID, 'groupChat', 'Project');
    await seedWatch(db, PERSONAL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db, GROUP_ID, ALEX_ID, ADELE_ID);
    await seedWatch(db, CHANNEL_ID, ALEX_ID, MEGAN_ID);
    await seedWatch(db, GROUP_ID, MEGAN_ID, ADELE_ID);
    for (const [aadObjectId, channelUserId] of [
      [ALEX_ID, 'user-id-0'],
      [MEGAN_ID, 'user-id-1'],
    ] as const) {
      await upsertChannelAccount(
        db,
        { tenantId: TENANT_ID, aadObjectId, channelUserId, channelId: 'msteams' },
        NOW,
      );
      await raiseSigninAlert(db, { tenantId: TENANT_ID, userId: aadObjectId, now: NOW });
    }
    for (const key of [ALEX_USER_STATE, ALEX_PERSONAL_STATE, GROUP_STATE, MEGAN_USER_STATE]) {
      await db
        .insertInto('bot_state')
        .values({ state_key: key, value: '{}', etag: 'e', updated_at: NOW })
        .execute();
    }
    await bot.signIn();
    await bot.signIn('user-id-1', MEGAN_ID);
  });

  const uninstall = (activity: Partial<Activity> = {}) =>
    bot.send({ type: 'installationUpdate', action: 'remove', text: undefined, ...activity });
  const watchers = async () =>
    (await listWatches(fixture.store.db)).map((w) => `${w.conversationId} ${w.watcherId}`).sort();
  const accountUsers = async () =>
    (await fixture.store.db.selectFrom('channel_accounts').select('aad_object_id').execute())
      .map((row) => row.aad_object_id)
      .sort();
  const signinAlertUsers = async () =>
    (await fixture.store.db.selectFrom('user_signin_alerts').select('user_id').execute())
      .map((row) => row.user_id)
      .sort();
  const stateKeys = async () =>
    (await fixture.store.db.selectFrom('bot_state').select('state_key').execute())
      .map((row) => row.state_key)
      .sort();

  it('signs the user out at the token service and purges their rows, leaving others’', async () => {
    await uninstall();
    assert.ok(bot.tokenClient.calls.includes('signOutUser user-id-0'));
    assert.equal(bot.tokenClient.tokens.has('user-id-0'), false);
    assert.equal(bot.tokenClient.tokens.has('user-id-1'), true);
    assert.deepEqual(await watchers(), [`${GROUP_ID} ${MEGAN_ID}`]);
    assert.deepEqual(await accountUsers(), [MEGAN_ID]);
    assert.deepEqual(await signinAlertUsers(), [MEGAN_ID]);
    assert.deepEqual(await stateKeys(), [GROUP_STATE, MEGAN_USER_STATE].sort());
    assert.ok(bot.keeperWakes.includes(TENANT_ID));
    await assert.rejects(bot.tokens.getToken(TENANT_ID, ALEX_ID));
  });

  it('leaves the user signed in and their other watches when the app leaves a group chat', async () => {
    await uninstall({ conversation: GROUP_CONVERSATION });
    assert.deepEqual(
      bot.tokenClient.calls.filter((call) => call.startsWith('signOut')),
      [],
    );
    assert.deepEqual(await watchers(), [`${CHANNEL_ID} ${ALEX_ID}`, `${PERSONAL_ID} ${ALEX_ID}`]);
    assert.deepEqual(await accountUsers(), [ALEX_ID, MEGAN_ID].sort());
    assert.deepEqual(await signinAlertUsers(), [ALEX_ID, MEGAN_ID].sort());
  });
});
