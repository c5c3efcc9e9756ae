import type { KeyObject } from 'node:crypto';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors/app-error';
import type { KeyRing } from '../keys/key-ring';
import type { EncryptedContent } from '../receiver/notification-envelope';
import { decryptEncryptedContent } from './decrypt-content';
import type { DecryptJob, DecryptReply, DecryptWorkerData } from './decrypt-worker-protocol';

/** Decrypts Graph `encryptedContent` with the right key from a key ring. */
export interface ContentDecryptor {
  /** The plaintext, or a rejection with the opaque DECRYPTION_FAILED. */
  decrypt(content: EncryptedContent): Promise<Buffer>;
  /** Stops the worker threads; pending and later calls fail. */
  close(): Promise<void>;
}

/** How to build a decryptor: `threads` 0 decrypts on the calling thread. */
export interface ContentDecryptorOptions {
  keyRing: KeyRing;
  threads: number;
}

interface PendingJob {
  resolve: (plaintext: Buffer) => void;
  reject: (error: AppError) => void;
}

const decryptionFailed = (): AppError => new AppError('DECRYPTION_FAILED');

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function keyFor(keyRing: KeyRing, content: EncryptedContent): KeyObject | undefined {
  return keyRing.privateKeyFor(
    textOrUndefined(content?.encryptionCertificateId),
    textOrUndefined(content?.encryptionCertificateThumbprint),
  );
}

function startDecryptWorker(keys: KeyObject[]): Worker {
  const script = join(__dirname, `decrypt-worker${extname(__filename)}`);
  const execArgv =
    extname(script) === '.ts' ? ['--require', require.resolve('tsx/cjs')] : undefined;
  const workerData: DecryptWorkerData = { keys };
  return new Worker(script, { workerData, execArgv });
}

/** One worker thread and the jobs it owes answers for; a dead worker is replaced on the next job. */
class WorkerSlot {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingJob>();

  constructor(private readonly start: () => Worker) {
    this.worker = this.spawn();
  }

  get load(): number {
    return this.pending.size;
  }

  run(job: DecryptJob): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.worker ??= this.spawn();
      this.pending.set(job.id, { resolve, reject });
      try {
        this.worker.postMessage(job);
      } catch {
        this.pending.delete(job.id);
        reject(decryptionFailed());
      }
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending();
    await worker?.terminate();
  }

  private spawn(): Worker {
    const worker = this.start();
    worker.on('message', (reply: DecryptReply) => this.settle(reply));
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.failPending();
      }
    });
    return worker;
  }

  private settle(reply: DecryptReply): void {
    const job = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.plaintext === undefined) {
      job?.reject(decryptionFailed());
    } else {
      job?.resolve(
        Buffer.from(reply.plaintext.buffer, reply.plaintext.byteOffset, reply.plaintext.byteLength),
      );
    }
  }

  private failPending(): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    jobs.forEach((job) => job.reject(decryptionFailed()));
  }
}

function createInlineDecryptor(keyRing: KeyRing): ContentDecryptor {
  let closed = false;
  return {
    decrypt: async (content) => {
      const key = keyFor(keyRing, content);
      if (closed || key === undefined) {
        throw decryptionFailed();
      }
      return decryptEncryptedContent(content, key);
    },
    close: async () => {
      closed = true;
    },
  };
}

function createWorkerDecryptor(keyRing: KeyRing, threads: number): ContentDecryptor {
  const keys = keyRing.privateKeys();
  const keyIndexes = new Map(keys.map((key, index) => [key, index]));
  const slots = Array.from(
    { length: threads },
    () => new WorkerSlot(() => startDecryptWorker(keys)),
  );
  let nextJobId = 0;
  let closed = false;
  const leastBusy = (): WorkerSlot =>
    slots.reduce((best, slot) => (slot.load < best.load ? slot : best));
  return {
    decrypt: async (content) => {
      const key = keyFor(keyRing, content);
      const keyIndex = key === undefined ? undefined : keyIndexes.get(key);
      if (closed || keyIndex === undefined) {
        throw decryptionFailed();
      }
      const { data, dataKey, dataSignature } = content;
      return leastBusy().run({ id: nextJobId++, keyIndex, data, dataKey, dataSignature });
    },
    close: async () => {
      closed = true;
      await Promise.all(slots.map((slot) => slot.close()));
    },
  };
}

/** A decryptor running on `threads` worker threads (each given the ring's keys once), or inline for 0. */
export function createContentDecryptor(options: ContentDecryptorOptions): ContentDecryptor {
  const { keyRing, threads } = options;
  if (!Number.isInteger(threads) || threads < 0) {
    throw new AppError('CONFIG_INVALID', 'decryption threads must be a whole number, 0 or more');
  }
  return threads === 0 ? createInlineDecryptor(keyRing) : createWorkerDecryptor(keyRing, threads);
}
