import { strict as assert } from 'node:assert';
import type { UserTokenClient } from 'botframework-connector';
import { decodeJwt } from 'jose';
import {
  ALEX,
  CONNECTION,
  MEGAN,
  messageFrom,
  startIdentityServer,
  type IdentityTestServer,
} from './identity-test-server';

function actionOf(page: string, buttonId: string): string {
  const match = new RegExp(`id="${buttonId}"[^>]*formaction="([^"]+)"`).exec(page);
  assert.ok(match?.[1], `no ${buttonId} button`);
  return match[1].replace(/&amp;/g, '&');
}

describe('simulator sign-in page', () => {
  let sim: IdentityTestServer;
  let client: UserTokenClient;

  beforeEach(async () => {
    sim = await startIdentityServer();
    client = await sim.userTokenClient();
  });
  afterEach(() => sim.close());

  async function openSignIn(
    activity = messageFrom(),
  ): Promise<{ link: string; page: string; status: number }> {
    const link = (await client.getSignInResource(CONNECTION, activity, '')).signInLink ?? '';
    const response = await fetch(link);
    return { link, page: await response.text(), status: response.status };
  }

  it('names the app, the permissions and the signed-in person from the conversation', async () => {
    const { page, status } = await openSignIn();
    assert.equal(status, 200);
    assert.match(page, /Presence Watch/);
    assert.match(page, /Presence\.Read\.All/);
    assert.match(page, /User\.ReadBasic\.All/);
    assert.match(page, /Signed in as <strong>Alex Wilber<\/strong> \(alexw@example\.com\)/);
  });

  it('resolves the person by Playground user id when the activity has no aadObjectId', async () => {
    const { page } = await openSignIn(messageFrom({ id: 'user-id-1', name: 'Megan Bowen' }));
    assert.match(page, /Megan Bowen/);
  });

  it('grants consent only on Accept and shows a six-digit code', async () => {
    const { link, page } = await openSignIn();
    assert.equal(
      sim.authority.hasConsent(ALEX.id, '00000000-0000-0000-0000-00000000000011'),
      false,
    );
    const done = await fetch(new URL(actionOf(page, 'accept'), link), { method: 'POST' });
    assert.equal(done.status, 200);
    const html = await done.text();
    assert.match(html, /id="magic-code">\d{6}</);
    assert.match(html, /paste it into your chat with Presence Watch as a message/);
    assert.doesNotMatch(html, /Redeem/, 'the card has no Redeem code button to point at');
    assert.deepEqual(
      sim.authority.consentedUsers().map((record) => record.userId),
      [ALEX.id],
    );
  });

  it('signs in whoever picks “Use another account”, and the link’s user redeems that token', async () => {
    const { link, page } = await openSignIn();
    const other = /id="other-account" href="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(other, 'the page offers another account');
    const picker = await (await fetch(new URL(other, link))).text();
    const megan = new RegExp(`href="([^"]+)">${MEGAN.displayName}<`).exec(picker)?.[1];
    assert.ok(megan, 'the picker lists Megan');
    const meganUrl = new URL(megan.replace(/&amp;/g, '&'), link);
    const consent = await (await fetch(meganUrl)).text();
    assert.match(consent, /Signed in as <strong>Megan Bowen<\/strong>/);
    const done = await fetch(new URL(actionOf(consent, 'accept'), meganUrl), { method: 'POST' });
    const code = /id="magic-code">(\d{6})</.exec(await done.text())?.[1] ?? '';
    const token = await client.getUserToken('user-id-0', CONNECTION, 'msteams', code);
    assert.equal(decodeJwt(token?.token ?? '').oid, MEGAN.id);
  });

  it('grants nothing on Cancel', async () => {
    const { link, page } = await openSignIn();
    const done = await fetch(new URL(actionOf(page, 'cancel'), link), { method: 'POST' });
    assert.match(await done.text(), /Sign-in cancelled/);
    assert.deepEqual(sim.authority.consentedUsers(), []);
    assert.equal(await client.getUserToken('user-id-0', CONNECTION, 'msteams', ''), undefined);
  });

  it('refuses a person the directory does not know, and a state that is not one', async () => {
    const stranger = await openSignIn(
      messageFrom({ id: 'user-id-9', name: 'Nobody', aadObjectId: 'not-in-directory' }),
    );
    assert.equal(stranger.status, 400);
    assert.match(stranger.page, /No one in the directory matches/);
    const garbage = await fetch(`${sim.url}/signin?state=bm90LWpzb24`);
    assert.equal(garbage.status, 400);
    const consent = await fetch(`${sim.url}/signin/consent?state=bm90LWpzb24&decision=accept`, {
      method: 'POST',
    });
    assert.equal(consent.status, 400);
    assert.deepEqual(sim.authority.consentedUsers(), []);
  });

  it('escapes what it echoes into the page', async () => {
    const { page } = await openSignIn(messageFrom({ id: '<script>x</script>', name: 'x' }));
    assert.ok(!page.includes('<script>x</script>'));
    assert.match(page, /&lt;script&gt;x&lt;\/script&gt;/);
  });
});
