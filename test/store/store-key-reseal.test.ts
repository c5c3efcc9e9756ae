import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isAppError } from '../../src/errors/app-error';
import {
  loadEncryptionKeyMaterial,
  privateKeyContext,
  storeEncryptionKeyMaterial,
} from '../../src/store/encryption-keys';
import { resealStoredSecrets } from '../../src/store/store-key-reseal';
import { createStoreKeyRing, type StoreKeyRing } from '../../src/store/store-keys';
import { recordSubscriptionCreated } from '../../src/store/subscription-outcomes';
import {
  clientStateForGraphSubscription,
  generateClientState,
} from '../../src/store/subscription-secrets';
import { forEachEngine } from '../helpers/for-each-engine';
import { claimAs, desire, NOW } from './subscription-fixtures';

const PRIVATE_KEY_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** A v1 value (no key id) sealed under `Buffer.alloc(32, 7)` for `encryption_keys:legacy`. */
const LEGACY_SEALED = 'v1.PBtbBO0idHdEJQ52.CdXpGXGOjv6Z7DyG0FHiiQ.5cMDrJvk47_3R9qlo-8CbNQDmXpG';

forEachEngine('store key re-seal', (fixture) => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const clientStates = ['owner-1', 'owner-2'].map(() => generateClientState());

  async function sealEverythingUnder(ring: StoreKeyRing): Promise<void> {
    await storeEncryptionKeyMaterial(fixture.store.db, ring, {
      certificateId: 'cert-1',
      thumbprint: 'AB',
      certificatePem: 'certificate',
      privateKeyPem: PRIVATE_KEY_PEM,
      createdAt: NOW,
      notAfter: NOW + 1000,
    });
    for (const [i, ownerId] of ['owner-1', 'owner-2'].entries()) {
      await desire(fixture.store.db, ownerId, ['x']);
      await claimAs(fixture.store.db, 'keeper');
      await recordSubscriptionCreated(fixture.store.db, ring, {
        tenantId: 't1',
        ownerId,
        leaseOwner: 'keeper',
        now: NOW,
        graphSubscriptionId: `graph-${i}`,
        coveredIds: ['x'],
        clientState: clientStates[i] as string,
        certificateId: 'cert-1',
        expiresAt: NOW + 3_600_000,
        nextActionAt: NOW + 3_000_000,
      });
    }
  }

  async function sealedValues(): Promise<string[]> {
    const keys = await fixture.store.db
      .selectFrom('encryption_keys')
      .select('private_key_sealed')
      .execute();
    const subscriptions = await fixture.store.db
      .selectFrom('graph_subscriptions')
      .select('client_state_sealed')
      .execute();
    return [
      ...keys.map((row) => row.private_key_sealed),
      ...subscriptions.map((row) => row.client_state_sealed ?? ''),
    ];
  }

  async function assertReadable(ring: StoreKeyRing): Promise<void> {
    const [material] = await loadEncryptionKeyMaterial(fixture.store.db, ring);
    assert.equal(material?.privateKeyPem, PRIVATE_KEY_PEM);
    for (const [i, state] of clientStates.entries()) {
      assert.equal(
        await clientStateForGraphSubscription(fixture.store.db, ring, `graph-${i}`),
        state,
      );
    }
  }

  it('reads everything sealed under A once rotated to B, and re-seals so that nothing stays under A', async () => {
    await sealEverythingUnder(createStoreKeyRing(keyA));
    const rotated = createStoreKeyRing(keyB, [keyA]);
    await assertReadable(rotated);

    assert.deepEqual(await resealStoredSecrets(fixture.store.db, rotated), {
      resealed: 3,
      unopenable: 0,
    });
    const sealed = await sealedValues();
    assert.equal(sealed.length, 3);
    for (const value of sealed) assert.equal(value.split('.')[1], rotated.current.id);
    await assertReadable(createStoreKeyRing(keyB));
    await assert.rejects(
      loadEncryptionKeyMaterial(fixture.store.db, createStoreKeyRing(keyA)),
      (error: unknown) => isAppError(error, 'STORE_KEY_UNAVAILABLE'),
    );
    assert.deepEqual(await resealStoredSecrets(fixture.store.db, rotated), {
      resealed: 0,
      unopenable: 0,
    });
  });

  it('re-seals each value once when two instances run it at the same time', async () => {
    await sealEverythingUnder(createStoreKeyRing(keyA));
    const rotated = createStoreKeyRing(keyB, [keyA]);
    const other = await fixture.open();
    const outcomes = await Promise.all([
      resealStoredSecrets(fixture.store.db, rotated),
      resealStoredSecrets(other.db, rotated),
    ]);
    assert.equal(outcomes[0].resealed + outcomes[1].resealed, 3);
    for (const value of await sealedValues()) assert.equal(value.split('.')[1], rotated.current.id);
    await assertReadable(createStoreKeyRing(keyB));
  });

  it('moves values of the v1 format (no key id) to the current key', async () => {
    await fixture.store.db
      .insertInto('encryption_keys')
      .values({
        certificate_id: 'legacy',
        thumbprint: 'CD',
        certificate_pem: 'certificate',
        private_key_sealed: LEGACY_SEALED,
        created_at: NOW,
        not_after: NOW + 1000,
        retired_at: null,
      })
      .execute();
    const ring = createStoreKeyRing(keyB, [Buffer.alloc(32, 7)]);
    assert.deepEqual(await resealStoredSecrets(fixture.store.db, ring), {
      resealed: 1,
      unopenable: 0,
    });
    const [material] = await loadEncryptionKeyMaterial(fixture.store.db, createStoreKeyRing(keyB));
    assert.equal(material?.privateKeyPem, 'sealed before key ids');
    assert.equal(privateKeyContext('legacy'), 'encryption_keys:legacy');
  });

  it('leaves values it cannot open as they are and counts them', async () => {
    await sealEverythingUnder(createStoreKeyRing(keyA));
    const before = await sealedValues();
    const withoutA = createStoreKeyRing(keyB);
    assert.deepEqual(await resealStoredSecrets(fixture.store.db, withoutA), {
      resealed: 0,
      unopenable: 3,
    });
    assert.deepEqual(await sealedValues(), before);
  });
});
