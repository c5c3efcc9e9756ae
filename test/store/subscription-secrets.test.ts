import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { isAppError } from '../../src/errors/app-error';
import { checkClientState } from '../../src/notifications/receiver/subscription-gate';
import { clientStateDigest } from '../../src/notifications/receiver/notification-envelope';
import { openSecret } from '../../src/store/secret-box';
import { createStoreKeyRing } from '../../src/store/store-keys';
import { recordSubscriptionCreated } from '../../src/store/subscription-outcomes';
import {
  clientStateContext,
  clientStateForGraphSubscription,
  createStoredSubscriptionSecrets,
  generateClientState,
} from '../../src/store/subscription-secrets';
import { forEachEngine } from '../helpers/for-each-engine';
import { claimAs, desire, NOW } from './subscription-fixtures';

describe('subscription clientState', () => {
  it('is fresh, at least 32 random bytes, base64url within Graph’s 255 characters', () => {
    const states = new Set(Array.from({ length: 50 }, generateClientState));
    assert.equal(states.size, 50);
    for (const state of states) {
      assert.match(state, /^[A-Za-z0-9_-]+$/);
      assert.ok(Buffer.from(state, 'base64url').length >= 32);
      assert.ok(state.length <= 255);
    }
  });
});

forEachEngine('subscription secrets', (fixture) => {
  const storeKey = createStoreKeyRing(randomBytes(32));
  const clientState = generateClientState();

  async function createdSubscription(ownerId: string, graphId: string, state = clientState) {
    await desire(fixture.store.db, ownerId, ['x']);
    await claimAs(fixture.store.db, 'keeper');
    await recordSubscriptionCreated(fixture.store.db, storeKey, {
      tenantId: 't1',
      ownerId,
      leaseOwner: 'keeper',
      now: NOW,
      graphSubscriptionId: graphId,
      coveredIds: ['x'],
      clientState: state,
      certificateId: 'cert-1',
      expiresAt: NOW + 3_600_000,
      nextActionAt: NOW + 3_000_000,
    });
  }

  it('finds the clientState of a known subscription and nothing for an unknown one', async () => {
    await createdSubscription('owner-1', 'graph-1');
    assert.equal(
      await clientStateForGraphSubscription(fixture.store.db, storeKey, 'graph-1'),
      clientState,
    );
    assert.equal(
      await clientStateForGraphSubscription(fixture.store.db, storeKey, 'graph-2'),
      undefined,
    );
  });

  it('serves the receiver’s clientState check', async () => {
    await createdSubscription('owner-1', 'graph-1');
    const secrets = createStoredSubscriptionSecrets(fixture.store.db, storeKey);
    await checkClientState(secrets, 'graph-1', clientStateDigest(clientState));
    await assert.rejects(
      checkClientState(secrets, 'graph-1', clientStateDigest(generateClientState())),
      (e) => isAppError(e, 'CLIENT_STATE_MISMATCH'),
    );
    await assert.rejects(checkClientState(secrets, 'graph-1', clientState), (e) =>
      isAppError(e, 'CLIENT_STATE_MISMATCH'),
    );
    await assert.rejects(
      checkClientState(secrets, 'graph-9', clientStateDigest(clientState)),
      (e) => isAppError(e, 'SUBSCRIPTION_UNKNOWN'),
    );
  });

  it('stores the clientState sealed to its own row', async () => {
    await createdSubscription('owner-1', 'graph-1');
    const row = await fixture.store.db
      .selectFrom('graph_subscriptions')
      .select('client_state_sealed')
      .executeTakeFirstOrThrow();
    const sealed = row.client_state_sealed!;
    assert.equal(
      openSecret(storeKey, sealed, clientStateContext('t1', 'owner-1')).toString(),
      clientState,
    );
    assert.throws(
      () => openSecret(storeKey, sealed, clientStateContext('t1', 'owner-2')),
      (e: unknown) => isAppError(e, 'SECRET_BOX_FAILED'),
    );
    assert.throws(
      () =>
        openSecret(
          createStoreKeyRing(randomBytes(32)),
          sealed,
          clientStateContext('t1', 'owner-1'),
        ),
      (e: unknown) => isAppError(e, 'STORE_KEY_UNAVAILABLE'),
    );
  });

  it('does not open a sealed value moved to another owner’s row', async () => {
    await createdSubscription('owner-1', 'graph-1');
    await createdSubscription('owner-2', 'graph-2', generateClientState());
    const { client_state_sealed } = await fixture.store.db
      .selectFrom('graph_subscriptions')
      .select('client_state_sealed')
      .where('owner_id', '=', 'owner-1')
      .executeTakeFirstOrThrow();
    await fixture.store.db
      .updateTable('graph_subscriptions')
      .set({ client_state_sealed })
      .where('owner_id', '=', 'owner-2')
      .execute();
    await assert.rejects(
      clientStateForGraphSubscription(fixture.store.db, storeKey, 'graph-2'),
      (e) => isAppError(e, 'SECRET_BOX_FAILED'),
    );
  });

  it('never writes the clientState into the database in the clear', async () => {
    await createdSubscription('owner-1', 'graph-1');
    const written = await storedText();
    assert.ok(written.includes('graph-1'));
    assert.ok(!written.includes(clientState));
    assert.ok(!written.includes(Buffer.from(clientState, 'base64url').toString('base64')));
  });

  /** What the engine holds: the SQLite file's bytes, or every subscription row as text. */
  async function storedText(): Promise<string> {
    const config = fixture.config;
    if (config.kind === 'sqlite') {
      await fixture.store.close();
      const files = ['', '-wal'].map((suffix) =>
        readFile(config.file + suffix).catch(() => Buffer.alloc(0)),
      );
      return (await Promise.all(files)).map((bytes) => bytes.toString('latin1')).join('\n');
    }
    const { rows } = await sql<{
      row: string;
    }>`select s::text as row from graph_subscriptions s`.execute(fixture.store.db);
    return rows.map((r) => r.row).join('\n');
  }
});
