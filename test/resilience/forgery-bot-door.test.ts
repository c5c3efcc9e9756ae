import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { ActivityAdapter } from '../../src/server/activity-adapter';
import { silentLogger } from '../../src/logging/logger';
import { registerBotMessagesRoute } from '../../src/server/bot-messages-route';
import { closeServer, createHttpServer, listen } from '../../src/server/http-server';
import { openDatabase, type StoreDatabase } from '../../src/store/open-database';
import { startBotHarness } from '../bot/bot-harness';
import { ALEX_ID, tokenFor } from '../helpers/tenant-simulator-harness';
import { botDoorForgeries, postToBot } from './forgery-bot-door';
import { recordFigure } from './resilience-figures';

const SUITE = 'forgery';
const EACH = 20;
const SSO_ROUNDS = 20;
const COPIES = 3;

describe('resilience: forged requests to /api/messages and duplicate SSO exchanges', function () {
  this.timeout(300_000);
  let uploadDir: string;
  let savedTmpDir: string | undefined;
  let dataDir: string;
  let store: StoreDatabase;

  before(async () => {
    uploadDir = await mkdtemp(path.join(tmpdir(), 'pw-forgery-uploads-'));
    dataDir = await mkdtemp(path.join(tmpdir(), 'pw-forgery-bot-'));
    savedTmpDir = process.env.TMPDIR;
    process.env.TMPDIR = uploadDir;
    store = await openDatabase(
      { kind: 'sqlite', file: path.join(dataDir, 'store.sqlite') },
      silentLogger(),
    );
  });
  after(async () => {
    if (savedTmpDir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpDir;
    await store?.close();
    await rm(uploadDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses multipart, other media types, oversize and unauthenticated bodies, writing nothing', async () => {
    const server = createHttpServer(silentLogger());
    let turns = 0;
    registerBotMessagesRoute(server, {
      adapter: new ActivityAdapter(
        new ConfigurationBotFrameworkAuthentication({
          MicrosoftAppId: 'forgery-bot',
          MicrosoftAppPassword: 'secret',
        }),
      ),
      run: async () => void (turns += 1),
      authenticated: true,
      logger: silentLogger(),
    });
    const port = await listen(server, 0, '127.0.0.1');
    const forgeries = botDoorForgeries(EACH);
    const rssBefore = process.memoryUsage().rss;
    const wrong: string[] = [];
    for (const forgery of forgeries) {
      const status = await postToBot(port, forgery);
      if (status !== forgery.expectedStatus) wrong.push(`${forgery.category}: ${status}`);
    }
    const rssGrowth = (process.memoryUsage().rss - rssBefore) / (1024 * 1024);
    await closeServer(server);
    const leftFiles = await readdir(uploadDir);

    recordFigure(SUITE, '/api/messages forged requests sent', forgeries.length);
    recordFigure(SUITE, '/api/messages unexpected answers', wrong.length, '0');
    recordFigure(SUITE, '/api/messages files left in TMPDIR', leftFiles.length, '0');
    recordFigure(SUITE, '/api/messages turns run', turns, '0');
    recordFigure(SUITE, '/api/messages RSS growth', `${Math.max(0, rssGrowth).toFixed(1)} MiB`);
    assert.deepEqual(wrong, []);
    assert.deepEqual(leftFiles, []);
    assert.equal(turns, 0);
  });

  it('runs the waiting command once per SSO exchange id, whatever the copies', async () => {
    const bot = await startBotHarness(store);
    const statuses = new Map<number, number>();
    let commandReplies = 0;
    let failures = 0;
    try {
      for (let round = 0; round < SSO_ROUNDS; round += 1) {
        bot.tokenClient.tokens.delete('user-id-0');
        await bot.send({ text: round % 2 === 0 ? '/watch Megan Bowen' : '/unwatch Megan Bowen' });
        bot.tokenClient.ssoTokens.set('sso-token', await tokenFor(bot.sim, ALEX_ID));
        const exchange: Partial<Activity> = {
          type: 'invoke',
          name: 'signin/tokenExchange',
          value: { id: `exchange-${round}`, connectionName: 'graph', token: 'sso-token' },
        };
        const replies = (
          await Promise.all(Array.from({ length: COPIES }, () => bot.send(exchange)))
        ).flat();
        for (const reply of replies) {
          if (reply.type === 'invokeResponse') {
            const status = (reply.value as { status: number }).status;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          } else if (/went wrong/.test(String(reply.text))) failures += 1;
          else commandReplies += 1;
        }
      }
    } finally {
      await bot.close();
    }
    recordFigure(SUITE, 'SSO exchanges sent (3 copies per id)', SSO_ROUNDS * COPIES);
    recordFigure(SUITE, 'SSO waiting commands run', commandReplies, String(SSO_ROUNDS));
    recordFigure(SUITE, 'SSO copies answered 412', statuses.get(412) ?? 0, String(SSO_ROUNDS * 2));
    recordFigure(SUITE, 'SSO "something went wrong" replies', failures, '0');
    assert.equal(commandReplies, SSO_ROUNDS);
    assert.equal(statuses.get(200), SSO_ROUNDS);
    assert.equal(statuses.get(412), SSO_ROUNDS * (COPIES - 1));
    assert.equal(failures, 0);
  });
});
