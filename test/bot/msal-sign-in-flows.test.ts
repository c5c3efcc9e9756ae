import assert from 'node:assert/strict';
import { TurnContext, type Activity } from 'botbuilder';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Server } from 'restify';
import { createMsalSignInCards } from '../../src/bot/msal-sign-in-cards';
import { createMsalTokenProvider } from '../../src/bot/msal-token-provider';
import { createSignInLinks, SIGN_IN_START_PATH } from '../../src/bot/sign-in-links';
import { createSignInResumer } from '../../src/bot/sign-in-resume';
import { silentLogger } from '../../src/logging/logger';
import { localKeySet } from '../../src/notifications/tokens/jwks-sources';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import {
  registerAuthCodeRoutes,
  SIGN_IN_CALLBACK_PATH,
} from '../../src/signin/auth-code/auth-code-routes';
import { createSsoTokenVerifier } from '../../src/signin/sso/sso-token-verifier';
import { PENDING_SIGN_IN_TTL_MS } from '../../src/store/pending-sign-ins';
import { createStoreKeyRing } from '../../src/store/store-keys';
import { listWatches } from '../../src/store/watches';
import { fakeMsalSignIn, type FakeMsalSignIn } from '../helpers/fake-msal-sign-in';
import { forEachEngine } from '../helpers/for-each-engine';
import { ALEX_ID, MEGAN_ID } from '../helpers/tenant-simulator-harness';
import { allText, PERSONAL_ID, startBotHarness, TENANT_ID, type BotHarness } from './bot-harness';

const APP_ID = '6a1f3c2e-8d4b-4f7a-9e3c-2b1d0a9f8e7d';
const SSO_RESOURCE = `api://botid-${APP_ID}`;
const NOW = 1_700_000_000_000;

const exchange = (id: string, token: string): Partial<Activity> => ({
  type: 'invoke',
  name: 'signin/tokenExchange',
  value: { id, connectionName: '', token },
});

function statusesOf(replies: Partial<Activity>[]): number[] {
  return replies
    .filter((reply) => reply.type === 'invokeResponse')
    .map((reply) => (reply.value as { status: number }).status)
    .sort();
}

function messagesOf(replies: Partial<Activity>[]): string[] {
  return replies
    .filter((reply) => reply.type === 'message')
    .map((reply) => (reply.attachments?.length ? allText(reply.attachments) : String(reply.text)));
}

/** The URL a card's first button opens (OAuth card button or Adaptive Card Action.OpenUrl). */
function linkOf(reply: Partial<Activity> | undefined): string {
  const content = reply?.attachments?.[0]?.content as {
    buttons?: { value: string }[];
    actions?: { url: string }[];
  };
  const link = content.buttons?.[0]?.value ?? content.actions?.[0]?.url;
  assert.ok(link, 'the card has a sign-in link');
  return link;
}

forEachEngine('msal sign-in flows', (fixture) => {
  let bot: BotHarness;
  let msal: FakeMsalSignIn;
  let server: Server;
  let baseUrl: string;
  let entraKey: CryptoKey;
  let entraJwk: JWK;
  let now: number;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    entraKey = pair.privateKey;
    entraJwk = { ...(await exportJWK(pair.publicKey)), kid: 'entra', alg: 'RS256' };
  });

  beforeEach(async function () {
    this.timeout(20000);
    now = NOW;
    const clock = (): number => now;
    const logger = silentLogger();
    const db = fixture.store.db;
    const storeKey = createStoreKeyRing(Buffer.alloc(32, 9), []);
    server = createHttpServer(logger);
    baseUrl = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    const ssoTokens = createSsoTokenVerifier({
      keySet: localKeySet({ keys: [entraJwk] }),
      audiences: [SSO_RESOURCE, APP_ID],
      authorityHost: 'https://login.microsoftonline.com',
      now: clock,
    });
    bot = await startBotHarness(fixture.store, (sim) => {
      msal = fakeMsalSignIn(sim, TENANT_ID);
      const links = createSignInLinks({ db, storeKey, baseUrl: () => baseUrl, now: clock });
      return {
        tokens: createMsalTokenProvider({ msal, ssoTokens, logger }),
        signInCards: createMsalSignInCards({ links, ssoResourceUri: SSO_RESOURCE }),
      };
    });
    registerAuthCodeRoutes({
      server,
      startPath: SIGN_IN_START_PATH,
      msal,
      db,
      storeKey,
      baseUrl: () => baseUrl,
      onSignedIn: createSignInResumer(bot.deps, (reference, logic) =>
        bot.adapter.processActivity(
          TurnContext.applyConversationReference(
            { type: 'event', name: 'ContinueConversation' },
            reference,
            true,
          ),
          logic,
        ),
      ),
      logger,
      now: clock,
    });
  });

  afterEach(async () => {
    await bot.close();
    await closeServer(server);
  });

  function ssoToken(
    claims: Record<string, unknown> = {},
    expiresAt = NOW + 3_600_000,
  ): Promise<string> {
    return new SignJWT({
      aud: SSO_RESOURCE,
      iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      tid: TENANT_ID,
      oid: ALEX_ID,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra' })
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(entraKey);
  }

  async function startLink(link: string): Promise<Response> {
    return fetch(link, { redirect: 'manual' });
  }

  async function signInThrough(link: string, userId = ALEX_ID): Promise<Response> {
    const started = await startLink(link);
    assert.equal(started.status, 302);
    const query = msal.approve(started.headers.get('location') ?? '', userId);
    return fetch(`${baseUrl}${SIGN_IN_CALLBACK_PATH}?${query.toString()}`);
  }

  async function watchCount(): Promise<number> {
    return (await listWatches(fixture.store.db, { conversationId: PERSONAL_ID })).length;
  }

  it('sends an OAuth card with the SSO resource, then exchanges the token and runs the command', async () => {
    const [card] = await bot.send({ text: '/watch Megan Bowen' });
    const oauth = card?.attachments?.[0];
    assert.equal(oauth?.contentType, 'application/vnd.microsoft.card.oauth');
    assert.equal(
      (oauth?.content as { tokenExchangeResource: { uri: string } }).tokenExchangeResource.uri,
      SSO_RESOURCE,
    );
    assert.match(linkOf(card), new RegExp(`^${baseUrl}${SIGN_IN_START_PATH}\\?state=`));
    const replies = await bot.send(exchange('x-1', await ssoToken()));
    assert.deepEqual(statusesOf(replies), [200]);
    assert.ok(messagesOf(replies).some((text) => /Watching Megan Bowen/.test(text)));
    assert.deepEqual(bot.signIns, [`${TENANT_ID}|${ALEX_ID}`]);
    assert.equal(await watchCount(), 1);
  });

  it('runs the waiting command once for three copies of one exchange', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const token = await ssoToken();
    const replies = (
      await Promise.all([1, 2, 3].map(() => bot.send(exchange('x-2', token))))
    ).flat();
    assert.deepEqual(statusesOf(replies), [200, 412, 412]);
    const watching = messagesOf(replies).filter((text) => /Watching Megan Bowen/.test(text));
    assert.equal(watching.length, 1);
    assert.equal(await watchCount(), 1);
  });

  it('refuses another user’s SSO token before any exchange', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const replies = await bot.send(exchange('x-3', await ssoToken({ oid: MEGAN_ID })));
    assert.deepEqual(statusesOf(replies), [412]);
    assert.deepEqual(messagesOf(replies), []);
    assert.ok(!msal.calls.includes('onBehalfOf'));
    assert.equal(await watchCount(), 0);
  });

  it('refuses a token for another audience, an expired one and a forged one, with no exchange', async () => {
    const forged = await new SignJWT({ aud: SSO_RESOURCE, tid: TENANT_ID, oid: ALEX_ID })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra' })
      .setExpirationTime(Math.floor(NOW / 1000) + 3600)
      .sign((await generateKeyPair('RS256')).privateKey);
    const tokens = [
      await ssoToken({ aud: 'api://someone-else' }),
      await ssoToken({}, NOW - 600_000),
      forged,
    ];
    for (const [i, token] of tokens.entries()) {
      assert.deepEqual(statusesOf(await bot.send(exchange(`x-4-${i}`, token))), [412]);
    }
    assert.ok(!msal.calls.includes('onBehalfOf'));
  });

  it('answers consent required with a consent card; after consent the command runs', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    msal.needsConsent.add(ALEX_ID);
    const replies = await bot.send(exchange('x-5', await ssoToken()));
    assert.deepEqual(statusesOf(replies), [412]);
    const consent = replies.find((reply) => reply.type === 'message');
    assert.match(allText(consent?.attachments), /consent/);
    assert.equal(await watchCount(), 0);
    bot.takeSent();
    const page = await signInThrough(linkOf(consent));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /return to Teams/);
    const told = messagesOf(bot.takeSent());
    assert.equal(told[0], 'You are signed in.');
    assert.ok(
      told.some((text) => /Watching Megan Bowen/.test(text)),
      told.join(),
    );
    assert.equal(await watchCount(), 1);
  });

  it('signs in through the code flow where there is no SSO, once per link', async () => {
    const [card] = await bot.send({ text: '/watch Megan Bowen' });
    const link = linkOf(card);
    const started = await startLink(link);
    const query = msal.approve(started.headers.get('location') ?? '', ALEX_ID);
    const callback = `${baseUrl}${SIGN_IN_CALLBACK_PATH}?${query.toString()}`;
    assert.equal((await fetch(callback)).status, 200);
    assert.ok(msal.signedIn(ALEX_ID));
    assert.equal(await watchCount(), 1);
    bot.takeSent();
    const replay = await fetch(callback);
    assert.equal(replay.status, 400);
    assert.deepEqual(bot.takeSent(), []);
    assert.equal((await startLink(link)).status, 400);
  });

  it('answers a silent SSO failure with the code-flow link once; the command runs after it', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const failure = { type: 'invoke', name: 'signin/failure', value: { code: 'tokenmissing' } };
    const replies = await bot.send(failure);
    assert.deepEqual(statusesOf(replies), [200]);
    const told = replies.find((reply) => reply.type === 'message');
    assert.match(String(told?.text), /single sign-on didn’t work/i);
    assert.equal(told?.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.deepEqual(messagesOf(await bot.send(failure)), []);
    assert.equal((await signInThrough(linkOf(told))).status, 200);
    assert.equal(await watchCount(), 1);
  });

  it('signs in from the tab opened first when the link was opened twice', async () => {
    const [card] = await bot.send({ text: '/watch Megan Bowen' });
    const first = await startLink(linkOf(card));
    assert.equal((await startLink(linkOf(card))).status, 302, 'the second tab opens Entra too');
    const query = msal.approve(first.headers.get('location') ?? '', ALEX_ID);
    const callback = await fetch(`${baseUrl}${SIGN_IN_CALLBACK_PATH}?${query.toString()}`);
    assert.equal(callback.status, 200);
    assert.equal(await watchCount(), 1);
  });

  it('refuses an unknown state and a redirect without one', async () => {
    await bot.send({ text: '/watch Megan Bowen' });
    const unknown = await fetch(`${baseUrl}${SIGN_IN_CALLBACK_PATH}?code=abc&state=made-up`);
    assert.equal(unknown.status, 400);
    assert.equal((await fetch(`${baseUrl}${SIGN_IN_CALLBACK_PATH}?code=abc`)).status, 400);
    assert.equal((await startLink(`${baseUrl}${SIGN_IN_START_PATH}?state=made-up`)).status, 400);
    assert.ok(!msal.calls.includes('redeemCode'));
  });

  it('shows a cancelled sign-in as such, and the link is then used up', async () => {
    const [card] = await bot.send({ text: '/watch Megan Bowen' });
    const started = await startLink(linkOf(card));
    const { state } = Object.fromEntries(
      new URL(started.headers.get('location') ?? '').searchParams,
    );
    const cancelled = await fetch(
      `${baseUrl}${SIGN_IN_CALLBACK_PATH}?error=access_denied&state=${state ?? ''}`,
    );
    assert.equal(cancelled.status, 400);
    assert.match(await cancelled.text(), /cancelled/);
    assert.equal((await startLink(linkOf(card))).status, 400);
    assert.equal(await watchCount(), 0);
  });

  it('refuses a link after it expired', async () => {
    const [card] = await bot.send({ text: '/watch Megan Bowen' });
    const link = linkOf(card);
    const started = await startLink(link);
    const query = msal.approve(started.headers.get('location') ?? '', ALEX_ID);
    now += PENDING_SIGN_IN_TTL_MS;
    const late = await fetch(`${baseUrl}${SIGN_IN_CALLBACK_PATH}?${query.toString()}`);
    assert.equal(late.status, 400);
    assert.ok(!msal.calls.includes('redeemCode'));
    assert.equal(await watchCount(), 0);
  });

  it('refuses a link signed in as another user and runs nothing', async () => {
    const [card] = await bot.send({ text: '/watch Megan Bowen' });
    bot.takeSent();
    const page = await signInThrough(linkOf(card), MEGAN_ID);
    assert.equal(page.status, 400);
    assert.deepEqual(bot.takeSent(), []);
    assert.deepEqual(bot.signIns, []);
    assert.equal(await watchCount(), 0);
  });

  it('/signout removes the MSAL cache partition', async () => {
    await bot.send(exchange('x-6', await ssoToken()));
    assert.ok(msal.signedIn(ALEX_ID));
    await bot.send({ text: '/signout' });
    assert.ok(msal.calls.includes(`signOut ${ALEX_ID}`));
    assert.ok(!msal.signedIn(ALEX_ID));
  });

  it('uninstalling from the personal chat removes the MSAL cache partition', async () => {
    await bot.send(exchange('x-8', await ssoToken()));
    assert.ok(msal.signedIn(ALEX_ID));
    await bot.send({ type: 'installationUpdate', action: 'remove', text: undefined });
    assert.ok(!msal.signedIn(ALEX_ID));
  });

  it('removes the cache partition when Entra refuses the refresh token (revoked consent)', async () => {
    await bot.send(exchange('x-7', await ssoToken()));
    msal.revoked.add(ALEX_ID);
    await assert.rejects(bot.tokens.getToken(TENANT_ID, ALEX_ID), { code: 'TOKEN_UNAVAILABLE' });
    assert.ok(msal.calls.includes(`signOut ${ALEX_ID}`));
    assert.ok(!msal.signedIn(ALEX_ID));
  });
});
