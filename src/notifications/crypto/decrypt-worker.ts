import type { KeyObject } from 'node:crypto';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { decryptEncryptedContent } from './decrypt-content';
import type { DecryptJob, DecryptReply, DecryptWorkerData } from './decrypt-worker-protocol';

function detachedCopy(bytes: Buffer): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function plaintextFor(
  job: DecryptJob,
  keys: readonly KeyObject[],
): Uint8Array<ArrayBuffer> | undefined {
  const key = keys[job.keyIndex];
  if (key === undefined) {
    return undefined;
  }
  try {
    return detachedCopy(decryptEncryptedContent(job, key));
  } catch {
    return undefined;
  }
}

/** Answers decryption jobs on `port` with the keys handed over at start. */
export function serveDecryptJobs(port: MessagePort, keys: readonly KeyObject[]): void {
  port.on('message', (job: DecryptJob) => {
    const plaintext = plaintextFor(job, keys);
    const reply: DecryptReply =
      plaintext === undefined ? { id: job.id } : { id: job.id, plaintext };
    port.postMessage(reply, plaintext === undefined ? [] : [plaintext.buffer]);
  });
}

if (parentPort !== null) {
  serveDecryptJobs(parentPort, (workerData as DecryptWorkerData).keys);
}
