import { readFile } from 'node:fs/promises';
import type { CertificateFiles } from '../../config/config';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logging/logger';
import type { Store } from '../../store/database-schema';
import {
  loadEncryptionKeyMaterial,
  storeEncryptionKeyMaterial,
  type EncryptionKeyMaterial,
} from '../../store/encryption-keys';
import type { StoreKeyRing } from '../../store/store-keys';
import { inSerialTransaction } from '../../store/store-transaction';
import { generateSelfSignedCertificate, parseCertificatePem } from './certificate';
import { KeyRing } from './key-ring';

const GENERATED_CERTIFICATE_DAYS = 365;
const KEY_PROVISIONING_LOCK = 7_205_301;

/** What the key ring is built from: certificate files, or the store (generating a key once). */
export interface KeyProvisioningDeps {
  certificates: readonly CertificateFiles[];
  store: Store;
  storeKey: StoreKeyRing;
  now: () => Date;
  logger: Logger;
}

/** Loads the notification decryption keys: configured files, else stored keys, else a new self-signed one. */
export async function provisionKeyRing(deps: KeyProvisioningDeps): Promise<KeyRing> {
  const log = deps.logger.child({ module: 'key-provisioning' });
  if (deps.certificates.length > 0) {
    const ring = KeyRing.fromMaterial(
      await Promise.all(deps.certificates.map(readCertificateFiles)),
    );
    log.info(
      { source: 'files', keys: ring.entries().length, current: ring.current().certificateId },
      'encryption keys loaded',
    );
    return ring;
  }
  const stored = await storedKeysOrGenerated(deps, log);
  const ring = KeyRing.fromMaterial(orderCurrentFirst(stored));
  log.info(
    { source: 'store', keys: ring.entries().length, current: ring.current().certificateId },
    'encryption keys loaded',
  );
  return ring;
}

async function storedKeysOrGenerated(
  deps: KeyProvisioningDeps,
  log: Logger,
): Promise<EncryptionKeyMaterial[]> {
  const existing = await loadEncryptionKeyMaterial(deps.store.db, deps.storeKey, {
    includeRetired: true,
  });
  if (hasActiveKey(existing)) return existing;
  const generated = await generateKeyMaterial(deps.now());
  return inSerialTransaction(deps.store, KEY_PROVISIONING_LOCK, async (trx) => {
    const current = await loadEncryptionKeyMaterial(trx, deps.storeKey, { includeRetired: true });
    if (hasActiveKey(current)) return current;
    await storeEncryptionKeyMaterial(trx, deps.storeKey, generated);
    log.info(
      { certificateId: generated.certificateId },
      'generated a self-signed encryption certificate',
    );
    return [{ ...generated, retiredAt: null }, ...current];
  });
}

function hasActiveKey(keys: EncryptionKeyMaterial[]): boolean {
  return keys.some((key) => key.retiredAt === null);
}

async function readCertificateFiles(
  files: CertificateFiles,
): Promise<{ certificatePem: string; privateKeyPem: string }> {
  try {
    const [certificatePem, privateKeyPem] = await Promise.all([
      readFile(files.certFile, 'utf8'),
      readFile(files.keyFile, 'utf8'),
    ]);
    return { certificatePem, privateKeyPem };
  } catch {
    throw new AppError('KEY_LOAD_FAILED', `cannot read ${files.certFile} or ${files.keyFile}`);
  }
}

async function generateKeyMaterial(now: Date): Promise<Omit<EncryptionKeyMaterial, 'retiredAt'>> {
  const { certificatePem, privateKeyPem } = await generateSelfSignedCertificate({
    commonName: 'Presence Watch change notifications',
    validDays: GENERATED_CERTIFICATE_DAYS,
    now,
  });
  const { thumbprint, notAfter } = parseCertificatePem(certificatePem);
  return {
    certificateId: `pw-${thumbprint.toLowerCase()}`,
    thumbprint,
    certificatePem,
    privateKeyPem,
    createdAt: now.getTime(),
    notAfter: notAfter.getTime(),
  };
}

function orderCurrentFirst(keys: EncryptionKeyMaterial[]): EncryptionKeyMaterial[] {
  const active = keys
    .filter((key) => key.retiredAt === null)
    .sort((a, b) => b.createdAt - a.createdAt);
  const retired = keys.filter((key) => key.retiredAt !== null);
  return [...active, ...retired];
}
