import type { KeyObject } from 'node:crypto';

/** What each decryption worker receives once, at start. */
export interface DecryptWorkerData {
  keys: KeyObject[];
}

/** One decryption request: the content's three base64 fields and the index of the key to use. */
export interface DecryptJob {
  id: number;
  keyIndex: number;
  data: string;
  dataKey: string;
  dataSignature: string;
}

/** The answer to a job: the plaintext, or no plaintext when decryption failed. */
export interface DecryptReply {
  id: number;
  plaintext?: Uint8Array;
}
