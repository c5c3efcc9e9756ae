import {
  generateSelfSignedCertificate,
  type CertificateMaterial,
} from '../../src/notifications/keys/certificate';

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
