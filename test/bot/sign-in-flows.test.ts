import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { forEachEngine } from '../helpers/for-each-engine';
import { ADELE_ID, ALEX_ID, MEGAN_ID, tokenFor } from '../helpers/tenant-simulator-harness';
import { GROUP_ID, PERSONAL_ID, TENANT_ID, type BotHarness, useBotHarness } from './bot-harness';
import { seedConversation, seedWatch } from './conversation-seeds';

const alexSignedIn = `${TENANT_ID}|${ALEX_ID}`;

forEachEngine('bot sign-in and sign-out', (fixture) => {
  let bot: BotHarness;
  useBotHarness(fixture, (started) => (bot = started));

  const codeFor = async (code: string): Promise<void> => {
    bot.tokenClient.magicCodes.set('user-id-0', { code, token: await tokenFor(bot.sim, ALEX_ID) });
  };

  describe('signing in wakes the keeper for the user', () => {
    it('after a pasted code', async () => {
      await bot.send({ text: '/watching' });
      await codeFor('123456');
      await bot.send({ text: '123456' });
      assert.deepEqual(bot.signIns, [alexSignedIn]);
    });

    it('after a Teams SSO token exchange', async () => {
      bot.tokenClient.ssoTokens.set('sso-token', await tokenFor(bot.sim, ALEX_ID));
      await bot.send({
        type: 'invoke',
        name: 'signin/tokenExchange',
        value: { id: 'x1', connectionName: 'graph', token: 'sso-token' },
      });
      assert.deepEqual(bot.signIns, [alexSignedIn]);
    });

    it('after signin/verifyState', async () => {
      await codeFor('777777');
      await bot.send({ type: 'invoke', name: 'signin/verifyState', value: { state: '777777' } });
      assert.deepEqual(bot.signIns, [alexSignedIn]);
    });

    it('not after a refused code', async () => {
      await bot.send({ text: '/watching' });
      await codeFor('123456');
      await bot.send({ text: '654321' });
      assert.deepEqual(bot.signIns, []);
    });
  });

  describe('a sign-in made as someone else (a forwarded sign-in link)', () => {
    const meganFor = async (code: string): Promise<void> => {
      bot.tokenClient.magicCodes.set('user-id-0', {
        code,
        token: await tokenFor(bot.sim, MEGAN_ID),
      });
    };

    it('is refused and signed out when its code is pasted, and the waiting command does not run', async () => {
      await bot.send({ text: '/watching' });
      await meganFor('123456');
      const replies = await bot.send({ text: '123456' });
      assert.deepEqual(bot.signIns, []);
      assert.match(String(replies[0]?.text), /signed in as someone else/);
      assert.equal(replies.length, 1);
      assert.ok(bot.tokenClient.calls.some((call) => call.startsWith('signOutUser user-id-0')));
    });

    it('is refused and signed out on signin/verifyState', async () => {
      await meganFor('777777');
      const replies = await bot.send({
        type: 'invoke',
        name: 'signin/verifyState',
        value: { state: '777777' },
      });
      assert.deepEqual(bot.signIns, []);
      assert.equal((replies[0]?.value as { status: number }).status, 412);
      assert.ok(bot.tokenClient.calls.some((call) => call.startsWith('signOutUser user-id-0')));
    });
  });

  describe('/signout', () => {
    const textOf = (replies: Partial<Activity>[]): string => String(replies[0]?.text);

    it('releases the sign-in with the last token, then signs out, and says what happens to each watch', async () => {
      const db = fixture.store.db;
      await seedConversation(db, GROUP_ID, 'groupChat', 'Project');
      await seedWatch(db, PERSONAL_ID, ALEX_ID, MEGAN_ID);
      await seedWatch(db, GROUP_ID, ALEX_ID, ADELE_ID);
      bot.signOutOutcome = {
        subscriptionDeleted: true,
        coveredByOthers: new Set([MEGAN_ID.toLowerCase()]),
      };
      await bot.signIn();

      const text = textOf(await bot.send({ text: '/signout' }));

      assert.deepEqual(bot.signOuts, [{ tenantId: TENANT_ID, userId: ALEX_ID, hadToken: true }]);
      assert.ok(bot.tokenClient.calls.includes('signOutUser user-id-0'));
      assert.match(
        text,
        /no longer use your sign-in, and the presence subscription it kept is deleted/,
      );
      assert.match(text, /- Megan Bowen here: alerts go on: a colleague who watches them too/);
      assert.match(text, /- Adele Vance in group chat “Project”: paused until you sign in again/);
    });

    it('says the subscription ends later when it could not be deleted, and that nothing is watched', async () => {
      bot.signOutOutcome = { subscriptionDeleted: false, coveredByOthers: new Set() };
      const text = textOf(await bot.send({ text: '/signout' }));
      assert.deepEqual(bot.signOuts, [{ tenantId: TENANT_ID, userId: ALEX_ID, hadToken: false }]);
      assert.match(text, /ends it within the hour, or I delete it when you sign in again/);
      assert.match(text, /You watch nobody/);
    });
  });
});
