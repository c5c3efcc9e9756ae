import assert from 'node:assert/strict';
import os from 'node:os';
import { releaseDeadOwnersLeases } from '../../src/app/dead-owner-leases';
import { createProcessIdentity, leaseOwnerOf } from '../../src/app/process-identity';
import { createLogger } from '../../src/logging/logger';
import { listLeaseOwners } from '../../src/store/lease-recovery';
import { deadPid } from '../helpers/dead-pid';
import { forEachEngine } from '../helpers/for-each-engine';
import { leaseOneOfEach } from '../store/lease-fixtures';

forEachEngine('releasing the leases of dead processes at start-up', (fixture) => {
  it("frees a crashed predecessor's leases on this host and logs the counts per table", async () => {
    const db = fixture.store.db;
    const self = createProcessIdentity();
    const crashed = leaseOwnerOf(createProcessIdentity(os.hostname(), await deadPid()), 'alerts');
    const earlierBoot = leaseOwnerOf(createProcessIdentity(os.hostname(), process.pid), 'inbox');
    const live = leaseOwnerOf(createProcessIdentity(os.hostname(), process.ppid), 'keeper');
    const otherHost = leaseOwnerOf(createProcessIdentity(`not-${os.hostname()}`), 'inbox');
    const legacy = 'worker-5f0c6a52-2f7e-4c43-9d55-000000000000';
    for (const owner of [crashed, earlierBoot, live, otherHost, legacy]) {
      await leaseOneOfEach(fixture.store, owner);
    }
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      format: 'json',
      destination: { write: (line: string) => lines.push(line) },
    });

    const released = await releaseDeadOwnersLeases(db, self, logger);

    const perTable = {
      notification_inbox: 2,
      presence_changes: 2,
      alert_outbox: 2,
      graph_subscriptions: 2,
      msal_token_cache: 2,
    };
    assert.deepEqual(released, perTable);
    assert.deepEqual(await listLeaseOwners(db), [live, otherHost, legacy].sort());
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      logged.map((entry) => ({
        level: entry.level,
        module: entry.module,
        released: entry.released,
      })),
      [{ level: 30, module: 'lease-recovery', released: perTable }],
    );
  });
});
