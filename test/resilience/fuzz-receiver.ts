import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  buildNotificationBodies,
  type BenchSubscription,
} from '../../tools/bench/notification-bodies';
import { startReceiver, type ReceiverHandle } from '../../tools/bench/receiver-harness';
import {
  generateSelfSignedCertificate,
  parseCertificatePem,
} from '../../src/notifications/keys/certificate';
import { createValidationTokenIssuer } from '../../tools/simulator/validation-token-issuer';
import { startJwksHttpServer, type JwksHttpServer } from '../helpers/jwks-http-server';

const APP_ID = '3c9e1f7a-5b2d-4e8f-9a1c-7d6b5e4f3a2b';
const TENANT_ID = '5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716';
const CLIENT_STATE = 'fuzz-client-state-5f0e9d8c7b6a5f4e3d2c1b0a';
/** Mutated bodies are mostly dropped items: a budget no fuzz run reaches, so every body is parsed. */
const DROPPED_ITEMS_PER_SECOND = 10_000_000;
/** The bench receiver in its own process, fed by a loopback JWKS, plus one genuine body. */
export interface FuzzReceiver {
  readonly receiver: ReceiverHandle;
  readonly genuineBody: Buffer;
  /** True while the child process exists and is not a zombie. */
  alive(): boolean;
  close(): Promise<void>;
}

function procStatus(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Starts the bench receiver with --expose-gc and a new SQLite store. */
export async function startFuzzReceiver(): Promise<FuzzReceiver> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-fuzz-'));
  const material = await generateSelfSignedCertificate({ commonName: 'fuzz', validDays: 2 });
  const certificate = parseCertificatePem(material.certificatePem);
  await writeFile(path.join(dir, 'cert.pem'), material.certificatePem);
  await writeFile(path.join(dir, 'key.pem'), material.privateKeyPem, { mode: 0o600 });
  const issuer = await createValidationTokenIssuer();
  const jwks: JwksHttpServer = await startJwksHttpServer(() => issuer.jwks());
  const subscription: BenchSubscription = {
    id: 'fuzz-subscription',
    tenantId: TENANT_ID,
    clientState: CLIENT_STATE,
    certificate: {
      publicKey: certificate.publicKey,
      certificateId: `pw-${certificate.thumbprint.toLowerCase()}`,
      thumbprint: certificate.thumbprint,
    },
  };
  const token = await issuer.issue({ tenantId: TENANT_ID, audience: APP_ID });
  const [genuineBody] = buildNotificationBodies(subscription, token, 1, 2);
  const receiver = await startReceiver(
    {
      NODE_ENV: 'test',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'fuzz.sqlite')}`,
      NOTIFICATION_CERT_FILES: path.join(dir, 'cert.pem'),
      NOTIFICATION_KEY_FILES: path.join(dir, 'key.pem'),
      NOTIFICATION_WORKER_THREADS: '1',
      NOTIFICATION_AUDIENCES: APP_ID,
      GRAPH_JWKS_URL: jwks.url,
      BENCH_CLIENT_STATE: CLIENT_STATE,
      BENCH_DROPPED_ITEMS_PER_SECOND: String(DROPPED_ITEMS_PER_SECOND),
    },
    { quiet: true, exposeGc: true },
  );
  const alive = (): boolean => {
    const status = procStatus(receiver.pid);
    return status !== undefined && !/^State:\s+Z/m.test(status);
  };
  return {
    receiver,
    genuineBody: genuineBody as Buffer,
    alive,
    async close() {
      if (alive()) await receiver.stop();
      await jwks.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
