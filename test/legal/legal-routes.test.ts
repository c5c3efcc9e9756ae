import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Server } from 'restify';
import { RETENTION_JOBS } from '../../src/app/retention';
import { registerLegalRoutes } from '../../src/legal/legal-routes';
import { silentLogger } from '../../src/logging/logger';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';

const HOUR_MS = 60 * 60 * 1000;

function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

describe('legal routes', () => {
  let server: Server;
  let base: string;

  before(async () => {
    server = createHttpServer(silentLogger());
    registerLegalRoutes(server, RETENTION_JOBS);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });

  after(async () => {
    await closeServer(server);
  });

  it('serves the privacy statement as a self-contained HTML page', async () => {
    const response = await fetch(`${base}/privacy`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const page = await response.text();
    assert.match(page, /^<!doctype html>/);
    assert.doesNotMatch(page, /<script|src=|href=/);
  });

  it('says what is stored, for how long, and how a person opts out', async () => {
    const page = text(await (await fetch(`${base}/privacy`)).text());
    for (const phrase of [
      'Presence.Read.All',
      'last known presence',
      'never a history',
      '/optout',
      '/whowatchesme',
      '/optin',
      '/signout',
    ]) {
      assert.ok(page.includes(phrase), phrase);
    }
    for (const job of RETENTION_JOBS) {
      const days = job.keepMs / (24 * HOUR_MS);
      const period = Number.isInteger(days) ? `${days} day` : `${job.keepMs / HOUR_MS} hour`;
      assert.ok(page.includes(`${job.name}: ${period}`), `${job.name} kept ${period}`);
    }
  });

  it('serves the terms of use, pointing at the privacy statement', async () => {
    const response = await fetch(`${base}/terms`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    const page = text(await response.text());
    assert.ok(page.includes('terms of use'));
    assert.ok(page.includes('/privacy'));
  });

  it('serves every page the Teams manifest links to on the bot domain', async () => {
    const manifest = JSON.parse(
      await readFile(path.join(__dirname, '..', '..', 'appPackage', 'manifest.json'), 'utf8'),
    );
    for (const url of [manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl]) {
      const pagePath = String(url).replace('https://${{BOT_DOMAIN}}', '');
      assert.match(pagePath, /^\/\w+$/);
      assert.equal((await fetch(`${base}${pagePath}`)).status, 200, pagePath);
    }
  });
});
