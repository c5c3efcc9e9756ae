import type {
  EncryptionKeyRow,
  EpochMs,
  NewEncryptionKeyRow,
  StoreExecutor,
} from './database-schema';
import { openSecret, sealSecret } from './secret-box';
import { storeOperation } from './store-failure';
import type { StoreKeyRing } from './store-keys';

/** A notification encryption certificate with its private key in the clear, as callers use it. */
export interface EncryptionKeyMaterial {
  readonly certificateId: string;
  /** Upper-case hex SHA-1 of the certificate DER. */
  readonly thumbprint: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly createdAt: EpochMs;
  readonly notAfter: EpochMs;
  readonly retiredAt: EpochMs | null;
}

/** The fields needed to store new key material. */
export type NewEncryptionKeyMaterial = Omit<EncryptionKeyMaterial, 'retiredAt'>;

/** The secret-box context of a key row's private key: a sealed key only opens on its own row. */
export function privateKeyContext(certificateId: string): string {
  return `encryption_keys:${certificateId}`;
}

/** Inserts a key row whose private key the caller has already sealed. */
export async function insertEncryptionKey(
  db: StoreExecutor,
  row: NewEncryptionKeyRow,
): Promise<void> {
  await storeOperation('insert encryption key', () =>
    db.insertInto('encryption_keys').values(row).execute(),
  );
}

/** Lists key rows, newest first; retired ones only when asked. */
export async function listEncryptionKeys(
  db: StoreExecutor,
  options: { includeRetired?: boolean } = {},
): Promise<EncryptionKeyRow[]> {
  return storeOperation('list encryption keys', () => {
    const query = db
      .selectFrom('encryption_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('certificate_id');
    return (options.includeRetired ? query : query.where('retired_at', 'is', null)).execute();
  });
}

/** Marks a key retired (kept for decrypting late notifications, no longer offered to Graph). */
export async function retireEncryptionKey(
  db: StoreExecutor,
  certificateId: string,
  now: EpochMs,
): Promise<void> {
  await storeOperation('retire encryption key', () =>
    db
      .updateTable('encryption_keys')
      .set({ retired_at: now })
      .where('certificate_id', '=', certificateId)
      .where('retired_at', 'is', null)
      .execute(),
  );
}

/** Seals the private key with the store key and inserts the row. */
export async function storeEncryptionKeyMaterial(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
  material: NewEncryptionKeyMaterial,
): Promise<void> {
  await insertEncryptionKey(db, {
    certificate_id: material.certificateId,
    thumbprint: material.thumbprint,
    certificate_pem: material.certificatePem,
    private_key_sealed: sealSecret(
      storeKey,
      material.privateKeyPem,
      privateKeyContext(material.certificateId),
    ),
    created_at: material.createdAt,
    not_after: material.notAfter,
    retired_at: null,
  });
}

/**
 * Loads key rows and opens their private keys: one that does not open is SECRET_BOX_FAILED, one
 * sealed under a key the ring lacks STORE_KEY_UNAVAILABLE.
 */
export async function loadEncryptionKeyMaterial(
  db: StoreExecutor,
  storeKey: StoreKeyRing,
  options: { includeRetired?: boolean } = {},
): Promise<EncryptionKeyMaterial[]> {
  const rows = await listEncryptionKeys(db, options);
  return rows.map((row) => ({
    certificateId: row.certificate_id,
    thumbprint: row.thumbprint,
    certificatePem: row.certificate_pem,
    privateKeyPem: openSecret(
      storeKey,
      row.private_key_sealed,
      privateKeyContext(row.certificate_id),
    ).toString('utf8'),
    createdAt: row.created_at,
    notAfter: row.not_after,
    retiredAt: row.retired_at,
  }));
}
