import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app/start-app';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/logging/logger';

async function healthOf(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the running app', () => {
  let dataDir: string;
  let app: RunningApp;

  before(async function () {
    this.timeout(30_000);
    dataDir = await mkdtemp(path.join(tmpdir(), 'pw-app-health-'));
    app = await startApp(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0',
        NOTIFICATION_WORKER_THREADS: '0',
      }),
      silentLogger(),
    );
  });

  after(async function () {
    this.timeout(30_000);
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports every worker loop on /healthz once each has run', async () => {
    let health = await healthOf(app.url);
    for (let i = 0; i < 50 && health.status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      health = await healthOf(app.url);
    }
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, {
      status: 'ok',
      store: 'ok',
      workers: {
        'notification-inbox': 'ok',
        'subscription-keeper': 'ok',
        'alert-fan-out': 'ok',
        'alert-sender': 'ok',
      },
    });
  });

  it('serves /readyz, /privacy and /terms', async () => {
    assert.equal((await fetch(`${app.url}/readyz`)).status, 200);
    for (const page of ['/privacy', '/terms']) {
      const response = await fetch(`${app.url}${page}`);
      assert.equal(response.status, 200, page);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    }
  });
});
