import { constants, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

/** Raw RSA-OAEP-SHA1 private decryptions per second on this thread, over `durationMs`. */
export function measureRawDecryptRate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  durationMs: number,
): number {
  const padding = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' } as const;
  const wrapped = publicEncrypt({ key: publicKey, ...padding }, randomBytes(32));
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  let operations = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 20; i += 1) privateDecrypt({ key: privateKey, ...padding }, wrapped);
    operations += 20;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return operations / seconds;
}
