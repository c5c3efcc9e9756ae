import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logging/logger';
import { resealStoredSecrets } from '../../../src/store/store-key-reseal';
import { createStoreKeyRing } from '../../../src/store/store-keys';
import { expectAppError } from '../../helpers/expect-app-error';
import { forEachEngine } from '../../helpers/for-each-engine';
import { consent, ssoTokenFor, TEST_CLIENT_SECRET } from '../../helpers/simulated-entra';
import { ALEX_ID } from '../../helpers/tenant-simulator-harness';
import { msalSignInFor, useMsalTestContext } from './msal-test-kit';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

forEachEngine('MSAL token cache in the store', (fixture) => {
  const ctx = useMsalTestContext(fixture);

  it('keeps the cache across a restart: a new instance over the same database refreshes the user', async () => {
    await ctx.signInAlex();
    const restarted = msalSignInFor(ctx.sim, await fixture.open(), ctx.storeKeys);
    ctx.passTime(TWO_HOURS_MS);
    assert.equal(
      await ctx.presenceStatus(await restarted.getToken(ctx.sim.tenantId, ALEX_ID)),
      200,
    );
  });

  it('lets two instances refresh one user at once without losing the rotated refresh token', async () => {
    await ctx.signInAlex();
    const other = msalSignInFor(ctx.sim, await fixture.open(), ctx.storeKeys);
    ctx.passTime(TWO_HOURS_MS);
    ctx.sim.entra.setTokenLatency(300);
    const tokens = await Promise.all([
      ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID),
      other.getToken(ctx.sim.tenantId, ALEX_ID),
    ]);
    for (const token of tokens) assert.equal(await ctx.presenceStatus(token), 200);
    ctx.sim.entra.setTokenLatency(0);
    ctx.passTime(TWO_HOURS_MS);
    assert.equal(await ctx.presenceStatus(await other.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
    assert.equal(await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
  });

  it('stores the cache sealed: no token in clear in the database', async () => {
    await ctx.signInAlex();
    const token = await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID);
    const rows = await fixture.store.db.selectFrom('msal_token_cache').selectAll().execute();
    assert.equal(rows.length, 1);
    const stored = JSON.stringify(rows);
    assert.ok(!stored.includes(token), 'the access token is in clear');
    assert.ok(
      !stored.includes(token.split('.')[1] ?? token),
      'the access token claims are in clear',
    );
    assert.ok(!stored.includes('0.sim.'), 'a refresh token is in clear');
    assert.ok(!/secret|AccessToken|RefreshToken/i.test(stored), 'cache entries are in clear');
  });

  it('logs no token, refresh token or cache content', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logged = msalSignInFor(ctx.sim, fixture.store, ctx.storeKeys, {
      logger: createLogger({ level: 'trace', format: 'json', destination }),
    });
    const ssoToken = await ssoTokenFor(ctx.sim, ALEX_ID);
    await expectAppError(logged.onBehalfOf(ssoToken), 'SIGN_IN_CONSENT_REQUIRED');
    consent(ctx.sim, ALEX_ID);
    await logged.onBehalfOf(ssoToken);
    const tokens = [ssoToken, await logged.getToken(ctx.sim.tenantId, ALEX_ID)];
    ctx.passTime(TWO_HOURS_MS);
    tokens.push(await logged.getToken(ctx.sim.tenantId, ALEX_ID));
    ctx.sim.authority.revokeRefreshTokens(ALEX_ID);
    ctx.passTime(TWO_HOURS_MS);
    await expectAppError(logged.getToken(ctx.sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    const log = lines.join('');
    assert.match(log, /on-behalf-of exchange refused/);
    assert.match(log, /no token from the MSAL cache/);
    for (const token of tokens) assert.ok(!log.includes(token.split('.')[1] ?? token));
    assert.ok(!log.includes('0.sim.'), 'a refresh token reached the log');
    assert.ok(!log.includes(TEST_CLIENT_SECRET), 'the client secret reached the log');
  });

  it('moves the cache to a new store key when stored secrets are re-sealed', async () => {
    await ctx.signInAlex();
    const newKey = randomBytes(32);
    const rotated = createStoreKeyRing(newKey, [ctx.storeKeys.current.key]);
    assert.deepEqual(await resealStoredSecrets(fixture.store.db, rotated), {
      resealed: 1,
      unopenable: 0,
    });
    const onlyNewKey = msalSignInFor(ctx.sim, fixture.store, createStoreKeyRing(newKey));
    ctx.passTime(TWO_HOURS_MS);
    assert.equal(
      await ctx.presenceStatus(await onlyNewKey.getToken(ctx.sim.tenantId, ALEX_ID)),
      200,
    );
  });

  it('treats a damaged cache partition as signed out, and a new sign-in replaces it', async () => {
    await ctx.signInAlex();
    await fixture.store.db
      .updateTable('msal_token_cache')
      .set((eb) => ({
        cache_sealed: eb.fn('replace', ['cache_sealed', eb.val('.'), eb.val('.A')]),
      }))
      .execute();
    await expectAppError(ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID), 'TOKEN_UNAVAILABLE');
    await ctx.msal.onBehalfOf(await ssoTokenFor(ctx.sim, ALEX_ID));
    assert.equal(await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
  });

  it('takes over the lease of an instance that died holding it, once the lease lapses', async () => {
    await ctx.signInAlex();
    await fixture.store.db
      .updateTable('msal_token_cache')
      .set({ lease_owner: 'crashed-instance', lease_until: Date.now() + 30_000 })
      .execute();
    ctx.passTime(31_000);
    assert.equal(await ctx.presenceStatus(await ctx.msal.getToken(ctx.sim.tenantId, ALEX_ID)), 200);
    const [row] = await fixture.store.db.selectFrom('msal_token_cache').selectAll().execute();
    assert.equal(row?.lease_owner, null, 'the lease is given up afterwards');
  });
});
