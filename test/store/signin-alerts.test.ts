import assert from 'node:assert/strict';
import {
  clearSigninAlert,
  isSigninAlertRaised,
  raiseSigninAlert,
} from '../../src/store/signin-alerts';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_700_000_000_000;

forEachEngine('sign-in alerts', (fixture) => {
  const user = { tenantId: 't1', userId: 'USER-1' };

  it('is raised once per failure episode, not on every retry', async () => {
    assert.equal(await raiseSigninAlert(fixture.store.db, { ...user, now: NOW }), true);
    assert.equal(await raiseSigninAlert(fixture.store.db, { ...user, now: NOW + 1 }), false);
    assert.equal(
      await raiseSigninAlert(fixture.store.db, { ...user, userId: 'user-1', now: NOW + 2 }),
      false,
    );
    assert.equal(await isSigninAlertRaised(fixture.store.db, 't1', 'user-1'), true);
    const row = await fixture.store.db
      .selectFrom('user_signin_alerts')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { tenant_id: 't1', user_id: 'user-1', raised_at: NOW, cleared_at: null });
  });

  it('is raised again after being cleared by a new sign-in', async () => {
    await raiseSigninAlert(fixture.store.db, { ...user, now: NOW });
    assert.equal(await clearSigninAlert(fixture.store.db, { ...user, now: NOW + 10 }), true);
    assert.equal(await clearSigninAlert(fixture.store.db, { ...user, now: NOW + 11 }), false);
    assert.equal(await isSigninAlertRaised(fixture.store.db, 't1', 'user-1'), false);
    assert.equal(await raiseSigninAlert(fixture.store.db, { ...user, now: NOW + 20 }), true);
    assert.equal(await raiseSigninAlert(fixture.store.db, { ...user, now: NOW + 21 }), false);
  });

  it('keeps users and tenants apart', async () => {
    await raiseSigninAlert(fixture.store.db, { ...user, now: NOW });
    assert.equal(
      await raiseSigninAlert(fixture.store.db, { tenantId: 't2', userId: 'user-1', now: NOW }),
      true,
    );
    assert.equal(
      await raiseSigninAlert(fixture.store.db, { tenantId: 't1', userId: 'user-2', now: NOW }),
      true,
    );
    assert.equal(
      await clearSigninAlert(fixture.store.db, { ...user, userId: 'user-3', now: NOW }),
      false,
    );
  });
});
