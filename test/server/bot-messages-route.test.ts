import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ActivityAdapter } from '../../src/server/activity-adapter';
import type { Server } from 'restify';
import sinon from 'sinon';
import { silentLogger } from '../../src/logging/logger';
import { registerBotMessagesRoute } from '../../src/server/bot-messages-route';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';

interface Reply {
  status: number;
  body: string;
}

function post(
  port: number,
  body: Buffer | string,
  headers: http.OutgoingHttpHeaders,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/api/messages', method: 'POST', headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function multipartBody(boundary: string, fileBytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.alloc(fileBytes, 0x61),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

const activity = {
  type: 'message',
  id: 'activity-1',
  text: 'hello',
  channelId: 'msteams',
  serviceUrl: 'http://127.0.0.1:9/',
  from: { id: 'user-1', aadObjectId: 'aad-user-1' },
  recipient: { id: 'bot-1' },
  conversation: { id: 'conversation-1' },
};

const JSON_HEADERS = { 'content-type': 'application/json' };

async function startRoute(botId: string | undefined): Promise<{
  server: Server;
  port: number;
  turns: string[];
}> {
  const turns: string[] = [];
  const server = createHttpServer(silentLogger());
  const auth = new ConfigurationBotFrameworkAuthentication(
    botId ? { MicrosoftAppId: botId, MicrosoftAppPassword: 'secret' } : {},
  );
  registerBotMessagesRoute(server, {
    adapter: new ActivityAdapter(auth),
    run: async (context) => {
      turns.push(context.activity.text);
    },
    authenticated: botId !== undefined,
    logger: silentLogger(),
  });
  return { server, port: await listen(server, 0, '127.0.0.1'), turns };
}

describe('POST /api/messages', () => {
  let server: Server;
  let port: number;
  let turns: string[];
  let uploadDir: string;
  let savedTmpDir: string | undefined;

  beforeEach(async () => {
    uploadDir = await mkdtemp(join(tmpdir(), 'pw-upload-check-'));
    savedTmpDir = process.env.TMPDIR;
    process.env.TMPDIR = uploadDir;
    ({ server, port, turns } = await startRoute('bot-app-id'));
  });

  afterEach(async () => {
    if (savedTmpDir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpDir;
    await closeServer(server);
    await rm(uploadDir, { recursive: true, force: true });
  });

  it('answers a multipart POST 415 and writes nothing to the temp folder', async () => {
    const boundary = 'pw-boundary-1234';
    const reply = await post(port, multipartBody(boundary, 5_000_000), {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
    assert.equal(reply.status, 415);
    assert.deepEqual(await readdir(uploadDir), []);
  });

  const otherTypes: [string, http.OutgoingHttpHeaders][] = [
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form-encoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', {}],
    ['JSON in another charset', { 'content-type': 'application/json; charset=utf-16' }],
    ['gzip-encoded JSON', { ...JSON_HEADERS, 'content-encoding': 'gzip' }],
  ];
  for (const [name, headers] of otherTypes) {
    it(`answers ${name} 415 and runs no turn`, async () => {
      const reply = await post(port, JSON.stringify(activity), headers);
      assert.equal(reply.status, 415);
      assert.equal(turns.length, 0);
    });
  }

  it('answers JSON over the limit 413, declared or streamed', async () => {
    const big = JSON.stringify({ ...activity, text: 'x'.repeat(300 * 1024) });
    const headers = { ...JSON_HEADERS, authorization: 'Bearer not-checked-yet' };
    assert.equal((await post(port, big, headers)).status, 413);
    const chunked = await post(port, big, { ...headers, 'transfer-encoding': 'chunked' });
    assert.equal(chunked.status, 413);
  });

  it('answers 401 to an activity without a Bot Framework token and runs no turn', async () => {
    const reply = await post(port, JSON.stringify(activity), {
      ...JSON_HEADERS,
      'content-type': 'application/json; charset=utf-8',
    });
    assert.equal(reply.status, 401);
    assert.equal(turns.length, 0);
  });

  it('answers a forged bearer token 401 without botbuilder printing its stack trace', async () => {
    const consoleError = sinon.stub(console, 'error');
    try {
      const reply = await post(port, JSON.stringify(activity), {
        ...JSON_HEADERS,
        authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.',
      });
      assert.equal(reply.status, 401);
      assert.equal(consoleError.callCount, 0);
    } finally {
      consoleError.restore();
    }
    assert.equal(turns.length, 0);
  });

  describe('with authentication off (local mode)', () => {
    beforeEach(async () => {
      await closeServer(server);
      ({ server, port, turns } = await startRoute(undefined));
    });

    it('runs a turn for a JSON activity', async () => {
      const reply = await post(port, JSON.stringify(activity), JSON_HEADERS);
      assert.equal(reply.status, 200);
      assert.equal(turns.length, 1);
      assert.deepEqual(turns, ['hello']);
    });

    const malformed: [string, string][] = [
      ['not JSON', '{"type":'],
      ['a JSON array', '[1,2]'],
      ['deeply nested JSON', `{"a":${'['.repeat(50_000)}`],
    ];
    for (const [name, body] of malformed) {
      it(`answers ${name} 400 and runs no turn`, async () => {
        assert.equal((await post(port, body, JSON_HEADERS)).status, 400);
        assert.equal(turns.length, 0);
      });
    }
  });
});
