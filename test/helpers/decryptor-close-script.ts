import { createContentDecryptor } from '../../src/notifications/crypto/decrypt-pool';
import { KeyRing } from '../../src/notifications/keys/key-ring';
import { decryptionVector, vectorPrivateKey } from './decryption-vector';

/** Child-process script: decrypt once on two worker threads, close, and let the process end by itself. */
async function main(): Promise<void> {
  const decryptor = createContentDecryptor({
    keyRing: KeyRing.single(vectorPrivateKey()),
    threads: 2,
  });
  const plaintext = await decryptor.decrypt(decryptionVector.encryptedContent);
  await decryptor.close();
  process.stdout.write(
    plaintext.toString('utf8') === decryptionVector.expectedPlaintext ? 'decrypted' : 'wrong',
  );
}

void main();
