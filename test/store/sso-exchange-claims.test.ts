import assert from 'node:assert/strict';
import { claimTokenExchange } from '../../src/store/sso-exchange-claims';
import { forEachEngine } from '../helpers/for-each-engine';

const exchange = { channelId: 'msteams', conversationId: 'a:personal', exchangeId: 'x-1' };

forEachEngine('token exchange claims', (fixture) => {
  it('grants an exchange id to exactly one of many concurrent claims', async () => {
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => claimTokenExchange(fixture.store.db, exchange, 1_000)),
    );
    assert.equal(claims.filter(Boolean).length, 1);
    assert.equal(await claimTokenExchange(fixture.store.db, exchange, 2_000), false);
  });

  it('keeps ids apart per conversation and per id', async () => {
    assert.equal(await claimTokenExchange(fixture.store.db, exchange, 1_000), true);
    const elsewhere = { ...exchange, conversationId: 'a:other' };
    assert.equal(await claimTokenExchange(fixture.store.db, elsewhere, 1_000), true);
    const next = { ...exchange, exchangeId: 'x-2' };
    assert.equal(await claimTokenExchange(fixture.store.db, next, 1_000), true);
  });
});
