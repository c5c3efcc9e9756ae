import {
  generateSelfSignedCertificate,
  parseCertificatePem,
  type CertificateMaterial,
} from '../../src/notifications/keys/certificate';
import { KeyRing } from '../../src/notifications/keys/key-ring';
import type { TestCertificate } from './notification-bodies';

const cache = new Map<string, Promise<CertificateMaterial>>();

/** A self-signed test certificate, generated once per name for the whole test run. */
export function generatedCertificate(name = 'default'): Promise<CertificateMaterial> {
  let material = cache.get(name);
  if (material === undefined) {
    material = generateSelfSignedCertificate({
      commonName: `presence-watch-test-${name}`,
      validDays: 30,
    });
    cache.set(name, material);
  }
  return material;
}

/** A key ring over one generated certificate, and that certificate as encryptors address it. */
export async function generatedKeyRing(
  name: string,
): Promise<{ keyRing: KeyRing; certificate: TestCertificate }> {
  const material = await generatedCertificate(name);
  const keyRing = KeyRing.fromMaterial([material]);
  const parsed = parseCertificatePem(material.certificatePem);
  return {
    keyRing,
    certificate: {
      publicKey: parsed.publicKey,
      certificateId: keyRing.current().certificateId,
      thumbprint: parsed.thumbprint,
    },
  };
}
