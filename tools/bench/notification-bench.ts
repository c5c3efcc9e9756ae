import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  generateSelfSignedCertificate,
  parseCertificatePem,
} from '../../src/notifications/keys/certificate';
import { parseRsaPrivateKeyPem } from '../../src/notifications/keys/private-key';
import { createValidationTokenIssuer } from '../simulator/validation-token-issuer';
import { closeLoadAgent, quantile, sendAll, sendAtRate } from './http-load';
import { buildNotificationBodies, type BenchSubscription } from './notification-bodies';
import { measureRawDecryptRate } from './raw-decrypt-rate';
import { startReceiver } from './receiver-harness';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT_ID = '66666666-7777-8888-9999-000000000000';
const CLIENT_STATE = 'bench-client-state-0123456789abcdef0123456789abcdef';
const BATCH_SIZE = 10;

/** Settings of one bench run. */
export interface NotificationBenchOptions {
  throughputNotifications: number;
  sustainedSeconds: number;
  sustainedPerSecond: number;
}

/** One row of the printed results. */
export interface BenchRow {
  figure: string;
  value: string;
  target: string;
}

/** Drives the real receiver over loopback and returns the figures of issue 2's benchmark. */
export async function runNotificationBench(options: NotificationBenchOptions): Promise<BenchRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-bench-'));
  const setup = await prepare(dir);
  try {
    const rawRate = (): number =>
      measureRawDecryptRate(setup.privateKey, setup.subscription.certificate.publicKey, 2000);
    const throughputBodies = buildNotificationBodies(
      setup.subscription,
      setup.token,
      options.throughputNotifications / BATCH_SIZE,
      BATCH_SIZE,
    );
    const rows: BenchRow[] = [];
    for (const threads of [0, 2]) {
      const before = rawRate();
      const rate = await measureThroughput(
        setup.env(dir, `t${threads}`, threads),
        throughputBodies,
      );
      const raw = (before + rawRate()) / 2;
      rows.push({
        figure: `(a) processed/s ÷ raw ops/s, ${threads === 0 ? 'inline (one thread)' : `${threads} worker threads`}`,
        value: `${(rate / raw).toFixed(2)} = ${rate.toFixed(0)} processed/s ÷ ${raw.toFixed(0)} raw RSA-2048 OAEP ops/s (one core, before+after)`,
        target: threads === 0 ? '≥ 0.8' : '≥ 1.5',
      });
    }
    rows.push(...(await measureSustained(setup, dir, options)));
    return rows;
  } finally {
    setup.jwksServer.close();
    closeLoadAgent();
    await rm(dir, { recursive: true, force: true });
  }
}

async function prepare(dir: string) {
  const material = await generateSelfSignedCertificate({ commonName: 'bench', validDays: 2 });
  const certificate = parseCertificatePem(material.certificatePem);
  await writeFile(path.join(dir, 'cert.pem'), material.certificatePem);
  await writeFile(path.join(dir, 'key.pem'), material.privateKeyPem, { mode: 0o600 });
  const issuer = await createValidationTokenIssuer();
  const jwksServer = http.createServer((_req, res) => res.end(JSON.stringify(issuer.jwks())));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksPort = (jwksServer.address() as { port: number }).port;
  const subscription: BenchSubscription = {
    id: 'bench-subscription',
    tenantId: TENANT_ID,
    clientState: CLIENT_STATE,
    certificate: {
      publicKey: certificate.publicKey,
      certificateId: `pw-${certificate.thumbprint.toLowerCase()}`,
      thumbprint: certificate.thumbprint,
    },
  };
  const env = (folder: string, name: string, threads: number): Record<string, string> => ({
    NODE_ENV: 'test',
    DATABASE_URL: `sqlite:${path.join(folder, `${name}.sqlite`)}`,
    NOTIFICATION_CERT_FILES: path.join(dir, 'cert.pem'),
    NOTIFICATION_KEY_FILES: path.join(dir, 'key.pem'),
    NOTIFICATION_WORKER_THREADS: String(threads),
    NOTIFICATION_AUDIENCES: APP_ID,
    GRAPH_JWKS_URL: `http://127.0.0.1:${jwksPort}/keys`,
    BENCH_CLIENT_STATE: CLIENT_STATE,
  });
  return {
    subscription,
    privateKey: parseRsaPrivateKeyPem(material.privateKeyPem),
    token: await issuer.issue({ tenantId: TENANT_ID, audience: APP_ID }),
    jwksServer,
    env,
  };
}

async function measureThroughput(env: Record<string, string>, bodies: Buffer[]): Promise<number> {
  const receiver = await startReceiver(env);
  try {
    const total = bodies.length * BATCH_SIZE;
    const started = process.hrtime.bigint();
    await sendAll(receiver.url, bodies, 8);
    const stats = await receiver.waitUntilSettled(total, 120_000);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return stats.done / seconds;
  } finally {
    await receiver.stop();
  }
}

async function measureSustained(
  setup: Awaited<ReturnType<typeof prepare>>,
  dir: string,
  options: NotificationBenchOptions,
): Promise<BenchRow[]> {
  const batchesPerSecond = options.sustainedPerSecond / BATCH_SIZE;
  const bodies = buildNotificationBodies(
    setup.subscription,
    setup.token,
    batchesPerSecond * options.sustainedSeconds,
    BATCH_SIZE,
  );
  const sent = bodies.length * BATCH_SIZE;
  const receiver = await startReceiver(setup.env(dir, 'sustained', 2));
  try {
    const latencies = await sendAtRate(receiver.url, bodies, batchesPerSecond);
    const stats = await receiver.waitUntilSettled(sent, 120_000);
    const label = `${options.sustainedPerSecond}/s for ${options.sustainedSeconds} s`;
    return [
      {
        figure: `(b) 202 latency p50, ${label}`,
        value: `${quantile(latencies, 0.5).toFixed(2)} ms`,
        target: '',
      },
      {
        figure: `(b) 202 latency p99, ${label}`,
        value: `${quantile(latencies, 0.99).toFixed(2)} ms`,
        target: '≤ 50 ms',
      },
      {
        figure: '(c) receiver peak RSS',
        value: `${(stats.maxRssKb / 1024).toFixed(0)} MiB`,
        target: '',
      },
      {
        figure: '(d) lost = sent − (processed + rejected)',
        value: `${sent - (stats.done + stats.rejected)} of ${sent} (rejected ${stats.rejected})`,
        target: '0',
      },
    ];
  } finally {
    await receiver.stop();
  }
}
