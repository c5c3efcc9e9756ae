import { createPublicKey, type KeyObject } from 'node:crypto';
import { AppError } from '../../errors/app-error';
import { parseCertificatePem } from './certificate';
import { assertSupportedRsaKey, parseRsaPrivateKeyPem } from './private-key';

const MAX_CERTIFICATE_ID_LENGTH = 128;

/** One decryption key with the certificate Graph encrypts for. */
export interface KeyRingEntry {
  readonly certificateId: string;
  /** Upper-case hex SHA-1 of the certificate DER. */
  readonly thumbprint: string;
  /** Base64 DER certificate: the subscription's `encryptionCertificate`. */
  readonly certificateBase64: string;
  readonly privateKey: KeyObject;
  readonly notAfter: Date;
}

/** A certificate and its private key as PEM; `certificateId` defaults to `pw-<thumbprint>`. */
export interface KeyMaterial {
  certificateId?: string;
  certificatePem: string;
  privateKeyPem: string;
}

/** A private key known without its certificate; one without `certificateId` serves every item. */
export interface BarePrivateKey {
  certificateId?: string;
  privateKey: KeyObject;
}

function checkCertificateId(certificateId: string): string {
  if (certificateId.length === 0 || certificateId.length > MAX_CERTIFICATE_ID_LENGTH) {
    throw new AppError('KEY_LOAD_FAILED', 'a certificate id must have 1 to 128 characters');
  }
  return certificateId;
}

function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'der' });
}

function entryFromMaterial(item: KeyMaterial): KeyRingEntry {
  const certificate = parseCertificatePem(item.certificatePem);
  assertSupportedRsaKey(certificate.publicKey, 'certificate key');
  const privateKey = parseRsaPrivateKeyPem(item.privateKeyPem);
  if (!spkiDer(privateKey).equals(spkiDer(certificate.publicKey))) {
    throw new AppError('KEY_LOAD_FAILED', 'the private key does not match its certificate');
  }
  return Object.freeze({
    certificateId: checkCertificateId(
      item.certificateId ?? `pw-${certificate.thumbprint.toLowerCase()}`,
    ),
    thumbprint: certificate.thumbprint,
    certificateBase64: certificate.certificateDer.toString('base64'),
    privateKey,
    notAfter: certificate.notAfter,
  });
}

function indexUnique<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  what: string,
): Map<string, T> {
  const index = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (index.has(key)) {
      throw new AppError('KEY_LOAD_FAILED', `${what} appears twice`);
    }
    index.set(key, item);
  }
  return index;
}

/** An immutable set of decryption keys, looked up by certificate id or thumbprint. */
export class KeyRing {
  private readonly byId: Map<string, KeyRingEntry>;
  private readonly byThumbprint: Map<string, KeyRingEntry>;
  private readonly bareById: Map<string, KeyObject>;

  private constructor(
    private readonly certificateEntries: readonly KeyRingEntry[],
    bareKeys: readonly BarePrivateKey[],
    private readonly fallback: KeyObject | undefined,
  ) {
    this.byId = indexUnique(certificateEntries, (entry) => entry.certificateId, 'a certificate id');
    this.byThumbprint = indexUnique(
      certificateEntries,
      (entry) => entry.thumbprint,
      'a certificate',
    );
    const bareIndex = indexUnique(bareKeys, (key) => key.certificateId ?? '', 'a certificate id');
    this.bareById = new Map([...bareIndex].map(([id, key]) => [id, key.privateKey]));
  }

  /** Parses certificates and private keys once; the first item becomes `current()`. */
  static fromMaterial(items: readonly KeyMaterial[]): KeyRing {
    if (items.length === 0) {
      throw new AppError('KEY_LOAD_FAILED', 'at least one certificate and key are needed');
    }
    return new KeyRing(Object.freeze(items.map(entryFromMaterial)), [], undefined);
  }

  /** A ring of certificate-less private keys (operator tools); one without an id serves every item. */
  static fromPrivateKeys(keys: readonly BarePrivateKey[]): KeyRing {
    const withId = keys.filter((key) => key.certificateId !== undefined);
    const withoutId = keys.filter((key) => key.certificateId === undefined);
    if (keys.length === 0 || withoutId.length > 1) {
      throw new AppError(
        'KEY_LOAD_FAILED',
        'give one or more keys, at most one of them without a certificate id',
      );
    }
    for (const key of keys) {
      if (key.privateKey.type !== 'private') {
        throw new AppError('KEY_LOAD_FAILED', 'a private key is needed, not a public one');
      }
      assertSupportedRsaKey(key.privateKey, 'private key');
      checkCertificateId(key.certificateId ?? 'fallback');
    }
    return new KeyRing(Object.freeze([]), withId, withoutId[0]?.privateKey);
  }

  /** A ring whose one key decrypts every item, whatever certificate it names. */
  static single(privateKey: KeyObject): KeyRing {
    return KeyRing.fromPrivateKeys([{ privateKey }]);
  }

  /** The certificate new subscriptions use; throws KEY_LOAD_FAILED on a ring without certificates. */
  current(): KeyRingEntry {
    const entry = this.certificateEntries[0];
    if (entry === undefined) {
      throw new AppError('KEY_LOAD_FAILED', 'the key ring holds no certificate');
    }
    return entry;
  }

  /** Every certificate-backed entry, current first. */
  entries(): readonly KeyRingEntry[] {
    return this.certificateEntries;
  }

  /** The certificate entry named by id, else by thumbprint (case-insensitive). */
  find(certificateId?: string, thumbprint?: string): KeyRingEntry | undefined {
    const byId = certificateId === undefined ? undefined : this.byId.get(certificateId);
    return (
      byId ??
      (thumbprint === undefined ? undefined : this.byThumbprint.get(thumbprint.toUpperCase()))
    );
  }

  /** The private key for an item: its certificate entry, a bare key with its id, else the fallback key. */
  privateKeyFor(certificateId?: string, thumbprint?: string): KeyObject | undefined {
    const entry = this.find(certificateId, thumbprint);
    const bare = certificateId === undefined ? undefined : this.bareById.get(certificateId);
    return entry?.privateKey ?? bare ?? this.fallback;
  }

  /** Every distinct private key in the ring (to hand to decryption workers once). */
  privateKeys(): KeyObject[] {
    const keys = [
      ...this.certificateEntries.map((entry) => entry.privateKey),
      ...this.bareById.values(),
    ];
    return this.fallback === undefined ? keys : [...keys, this.fallback];
  }
}
