import assert from 'node:assert/strict';
import { Migrator } from 'kysely/migration';
import { storeMigrationProvider } from '../../../src/store/migrations/store-migrations';
import { listWatches, upsertWatch } from '../../../src/store/watches';
import { forEachEngine } from '../../helpers/for-each-engine';

const NOW = 1_700_000_000_000;

forEachEngine('migration 0011-watch-target-name', (fixture) => {
  it('leaves watches stored before it unnamed and working, and stores names after it', async () => {
    const migrator = new Migrator({
      db: fixture.store.db,
      provider: storeMigrationProvider(fixture.engine),
    });
    const down = await migrator.migrateTo('0010-msal-token-cache');
    assert.equal(down.error, undefined);
    await fixture.store.db
      .insertInto('watches')
      .values({
        tenant_id: 't1',
        conversation_id: 'conv-1',
        watcher_id: 'watcher-1',
        target_id: 'alex',
        only_when_available: 0,
        once: 0,
        include_activity: 0,
        created_at: NOW,
      })
      .execute();

    const migrated = await fixture.open();
    const [old] = await listWatches(migrated.db);
    assert.equal(old?.targetId, 'alex');
    assert.equal(old?.targetName, undefined);
    const named = await upsertWatch(
      migrated.db,
      {
        tenantId: 't1',
        conversationId: 'conv-1',
        watcherId: 'watcher-1',
        targetId: 'alex',
        targetName: 'Alex Wilber',
        onlyWhenAvailable: false,
        once: false,
        includeActivity: false,
      },
      NOW,
    );
    assert.deepEqual([named.id, named.targetName], [old?.id, 'Alex Wilber']);
  });
});
