import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RETENTION_JOBS } from '../../src/app/retention';
import type { StoreExecutor } from '../../src/store/database-schema';
import { upsertDesiredCoverage } from '../../src/store/graph-subscriptions';
import { upsertWatch } from '../../src/store/watches';
import { forEachEngine } from '../helpers/for-each-engine';

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TENANT = 'tenant-1';

async function runRetention(db: StoreExecutor): Promise<void> {
  for (const job of RETENTION_JOBS) await job.purge(db as never, NOW - job.keepMs);
}

async function watch(
  db: StoreExecutor,
  conversationId: string,
  watcherId: string,
  targetId: string,
) {
  await upsertWatch(
    db,
    {
      tenantId: TENANT,
      conversationId,
      watcherId,
      targetId,
      onlyWhenAvailable: false,
      once: false,
      includeActivity: false,
    },
    NOW - 60 * DAY,
  );
}

forEachEngine('retention rules', (fixture) => {
  const db = () => fixture.store.db;

  it('forgets the presence of people nobody watches an hour after it was last observed', async () => {
    await watch(db(), 'chat-1', 'watcher', 'watched-long-ago');
    for (const [userId, observedAt] of [
      ['watched-long-ago', NOW - 30 * DAY],
      ['unwatched-stale', NOW - 2 * HOUR],
      ['unwatched-fresh', NOW - 10 * MINUTE],
    ] as const) {
      await db()
        .insertInto('presence_state')
        .values({
          tenant_id: TENANT,
          user_id: userId,
          availability: 'Available',
          activity: 'Available',
          observed_at: observedAt,
          version: 1,
        })
        .execute();
    }
    await runRetention(db());
    const kept = await db()
      .selectFrom('presence_state')
      .select('user_id')
      .orderBy('user_id')
      .execute();
    assert.deepEqual(
      kept.map((row) => row.user_id),
      ['unwatched-fresh', 'watched-long-ago'],
    );
  });

  it('forgets the channel account of someone who watches nobody and owns no subscription after 30 days', async () => {
    await watch(db(), 'chat-1', 'watcher', 'someone');
    await upsertDesiredCoverage(db(), {
      tenantId: TENANT,
      ownerId: 'owner',
      desiredIds: ['someone'],
      now: NOW - 40 * DAY,
    });
    for (const [userId, updatedAt] of [
      ['watcher', NOW - 40 * DAY],
      ['owner', NOW - 40 * DAY],
      ['idle', NOW - 31 * DAY],
      ['recent', NOW - DAY],
    ] as const) {
      await db()
        .insertInto('channel_accounts')
        .values({
          tenant_id: TENANT,
          aad_object_id: userId,
          channel_user_id: `29:${userId}`,
          channel_id: 'msteams',
          updated_at: updatedAt,
        })
        .execute();
    }
    await runRetention(db());
    const kept = await db()
      .selectFrom('channel_accounts')
      .select('aad_object_id')
      .orderBy('aad_object_id')
      .execute();
    assert.deepEqual(
      kept.map((row) => row.aad_object_id),
      ['owner', 'recent', 'watcher'],
    );
  });

  it('forgets conversations with no watches and no pending alerts 30 days after they last spoke', async () => {
    await watch(db(), 'watched', 'watcher', 'someone');
    for (const [conversationId, updatedAt] of [
      ['watched', NOW - 40 * DAY],
      ['idle', NOW - 31 * DAY],
      ['alerting', NOW - 31 * DAY],
      ['recent', NOW - DAY],
    ] as const) {
      await db()
        .insertInto('conversation_references')
        .values({
          conversation_id: conversationId,
          tenant_id: TENANT,
          service_url: 'https://smba.example/',
          reference: '{}',
          conversation_type: 'groupChat',
          name: null,
          updated_at: updatedAt,
        })
        .execute();
    }
    await db()
      .insertInto('alert_outbox')
      .values({
        change_id: 1,
        conversation_id: 'alerting',
        tenant_id: TENANT,
        target_id: 'someone',
        payload: '{}',
        next_attempt_at: NOW,
        created_at: NOW,
      })
      .execute();
    await runRetention(db());
    const kept = await db()
      .selectFrom('conversation_references')
      .select('conversation_id')
      .orderBy('conversation_id')
      .execute();
    assert.deepEqual(
      kept.map((row) => row.conversation_id),
      ['alerting', 'recent', 'watched'],
    );
  });

  it('forgets sign-in alerts a day after they cleared, or once the user watches nobody', async () => {
    await watch(db(), 'chat-1', 'still-watching', 'someone');
    await watch(db(), 'chat-2', 'cleared-just-now', 'someone');
    await watch(db(), 'chat-3', 'cleared-long-ago', 'someone');
    for (const [userId, raisedAt, clearedAt] of [
      ['cleared-long-ago', NOW - 3 * DAY, NOW - 2 * DAY],
      ['cleared-just-now', NOW - 3 * DAY, NOW - HOUR],
      ['still-watching', NOW - 3 * DAY, null],
      ['gone', NOW - 3 * DAY, null],
      ['gone-just-raised', NOW - HOUR, null],
    ] as const) {
      await db()
        .insertInto('user_signin_alerts')
        .values({ tenant_id: TENANT, user_id: userId, raised_at: raisedAt, cleared_at: clearedAt })
        .execute();
    }
    await runRetention(db());
    const kept = await db()
      .selectFrom('user_signin_alerts')
      .select('user_id')
      .orderBy('user_id')
      .execute();
    assert.deepEqual(
      kept.map((row) => row.user_id),
      ['cleared-just-now', 'gone-just-raised', 'still-watching'],
    );
  });

  it('deletes retired notification keys a day after retirement once no subscription names them', async () => {
    const coverage = await upsertDesiredCoverage(db(), {
      tenantId: TENANT,
      ownerId: 'owner',
      desiredIds: ['someone'],
      now: NOW,
    });
    assert.ok(coverage);
    await db()
      .updateTable('graph_subscriptions')
      .set({ certificate_id: 'retired-in-use' })
      .execute();
    for (const [certificateId, retiredAt] of [
      ['current', null],
      ['retired-long-ago', NOW - 2 * DAY],
      ['retired-in-use', NOW - 2 * DAY],
      ['retired-just-now', NOW - HOUR],
    ] as const) {
      await db()
        .insertInto('encryption_keys')
        .values({
          certificate_id: certificateId,
          thumbprint: certificateId.toUpperCase(),
          certificate_pem: 'certificate',
          private_key_sealed: 'sealed',
          created_at: NOW - 10 * DAY,
          not_after: NOW + 300 * DAY,
          retired_at: retiredAt,
        })
        .execute();
    }
    await runRetention(db());
    const kept = await db()
      .selectFrom('encryption_keys')
      .select('certificate_id')
      .orderBy('certificate_id')
      .execute();
    assert.deepEqual(
      kept.map((row) => row.certificate_id),
      ['current', 'retired-in-use', 'retired-just-now'],
    );
  });

  it('forgets MSAL token caches nothing wrote for 90 days, unless a live lease holds them', async () => {
    for (const [key, updatedAt, leaseUntil] of [
      ['idle', NOW - 91 * DAY, null],
      ['idle-but-leased', NOW - 91 * DAY, NOW + MINUTE],
      ['recent', NOW - 89 * DAY, null],
    ] as const) {
      await db()
        .insertInto('msal_token_cache')
        .values({
          partition_key: key,
          cache_sealed: 'sealed',
          version: 1,
          updated_at: updatedAt,
          lease_owner: leaseUntil === null ? null : 'instance',
          lease_until: leaseUntil,
        })
        .execute();
    }
    await runRetention(db());
    const kept = await db()
      .selectFrom('msal_token_cache')
      .select('partition_key')
      .orderBy('partition_key')
      .execute();
    assert.deepEqual(
      kept.map((row) => row.partition_key),
      ['idle-but-leased', 'recent'],
    );
  });

  it('is documented for every table of the store in the README’s privacy section', async () => {
    const readme = await readFile(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.split('\n## Privacy\n')[1]?.split('\n## ')[0] ?? '';
    const tables = await db().introspection.getTables({ withInternalKyselyTables: true });
    assert.ok(tables.length >= 14);
    for (const table of tables) {
      assert.match(section, new RegExp(`\\| [^|\\n]*\`${table.name}\``), table.name);
    }
  });
});
