import assert from 'node:assert/strict';
import { claimDueAlerts } from '../../src/store/alert-queue';
import type { StoreExecutor } from '../../src/store/database-schema';
import { claimPending } from '../../src/store/inbox-queue';
import {
  LEASED_TABLES,
  listLeaseOwners,
  releaseLeases,
  type LeasedTable,
} from '../../src/store/lease-recovery';
import { claimPresenceChanges } from '../../src/store/presence-change-queue';
import { forEachEngine } from '../helpers/for-each-engine';
import { claim, leaseOneOfEach } from './lease-fixtures';
import { LEASE_MS, NOW } from './subscription-fixtures';

interface LeaseView {
  readonly owner: string | null;
  readonly until: number | null;
}

async function leasesIn(db: StoreExecutor, table: LeasedTable): Promise<LeaseView[]> {
  const rows = await db.selectFrom(table).select(['lease_owner', 'lease_until']).execute();
  return rows
    .map((row) => ({
      owner: row.lease_owner,
      until: row.lease_until === null ? null : Number(row.lease_until),
    }))
    .sort((a, b) => (a.owner ?? '').localeCompare(b.owner ?? ''));
}

forEachEngine('lease recovery', (fixture) => {
  const dead = 'host-a/4001/boot-dead/inbox';
  const alive = 'host-a/4002/boot-alive/inbox';
  const foreign = 'host-b/4001/boot-b/alerts';

  beforeEach(async () => {
    for (const owner of [dead, alive, foreign]) await leaseOneOfEach(fixture.store, owner);
  });

  it('lists every owner holding a lease in any table', async () => {
    assert.deepEqual(await listLeaseOwners(fixture.store.db), [dead, alive, foreign].sort());
  });

  it('releases exactly the selected owners in every leased table', async () => {
    const db = fixture.store.db;
    const released = await releaseLeases(db, (owner) => owner === dead);
    assert.deepEqual(released, {
      notification_inbox: 1,
      presence_changes: 1,
      alert_outbox: 1,
      graph_subscriptions: 1,
      msal_token_cache: 1,
    });
    const held = NOW + LEASE_MS;
    for (const table of LEASED_TABLES) {
      assert.deepEqual(
        await leasesIn(db, table),
        [
          { owner: null, until: null },
          { owner: alive, until: held },
          { owner: foreign, until: held },
        ],
        table,
      );
    }
    assert.deepEqual(await listLeaseOwners(db), [alive, foreign].sort());
  });

  it('accepts a list of owners and leaves the rest of a row as it was', async () => {
    const db = fixture.store.db;
    await releaseLeases(db, [dead, 'host-a/1/never-held']);
    const row = await db
      .selectFrom('graph_subscriptions')
      .select(['state', 'attempts', 'lease_owner', 'lease_until'])
      .where('owner_id', '=', 'owner-host-a/4001/boot-dead/inbox')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...row, attempts: Number(row.attempts) },
      { state: 'creating', attempts: 1, lease_owner: null, lease_until: null },
    );
  });

  it('lets another worker claim the released work at once, before the lease would expire', async () => {
    const db = fixture.store.db;
    const successor = 'host-a/4003/boot-new/inbox';
    assert.deepEqual(await claimPending(db, { owner: successor, limit: 10, ...claim }), []);
    await releaseLeases(db, [dead]);
    const items = await claimPending(db, { owner: successor, limit: 10, ...claim });
    assert.deepEqual(
      items.map((item) => item.attempts),
      [2],
    );
    const changes = await claimPresenceChanges(fixture.store, {
      owner: successor,
      limit: 10,
      ...claim,
    });
    assert.deepEqual(
      changes.map((change) => change.userId),
      [`user-${dead}`],
    );
    const alerts = await claimDueAlerts(db, { owner: successor, limit: 10, ...claim });
    assert.deepEqual(
      alerts.map((alert) => alert.conversationId),
      [`conversation-${dead}`],
    );
  });

  it('releases nothing when no owner is selected', async () => {
    const released = await releaseLeases(fixture.store.db, () => false);
    assert.deepEqual(Object.values(released), [0, 0, 0, 0, 0]);
    assert.equal((await listLeaseOwners(fixture.store.db)).length, 3);
  });
});
