import assert from 'node:assert/strict';
import path from 'node:path';
import { startTestStack, type TestStack } from '../helpers/local-stack-harness';
import {
  openConversation,
  openPlaygroundBrowser,
  pickPeopleAndWatch,
  sendMessage,
  waitForText,
  type PlaygroundBrowser,
} from '../helpers/playground-browser';
import { watchByMention, watchInPersonalChat } from '../helpers/playground-browser-flows';

const MEGAN = {
  id: 'user-id-1',
  name: 'Megan Bowen',
  objectId: '00000000-0000-0000-0000-0000000000021',
};
const ADELE = {
  id: 'user-id-2',
  name: 'Adele Vance',
  objectId: '00000000-0000-0000-0000-0000000000022',
};
const PATTI = {
  id: 'user-id-4',
  name: 'Patti Fernandez',
  objectId: '00000000-0000-0000-0000-0000000000024',
};

describe('local stack in the Playground in headless Chromium', function () {
  this.timeout(240_000);
  let env: TestStack;
  let browser: PlaygroundBrowser;

  before(async () => {
    env = await startTestStack();
    browser = await openPlaygroundBrowser(env.stack.playgroundUrl);
  });

  after(async () => {
    await browser?.close();
    await env?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const shot = path.join(env.dataDir, '..', `pw-e2e-failure-${Date.now()}.png`);
    await browser.page.screenshot({ path: shot }).catch(() => undefined);
    process.stderr.write(`screenshot: ${shot}\n${await env.botLogTail()}\n`);
  });

  it('signs in and shows the alert card in the personal chat', async () => {
    const card = await watchInPersonalChat(env, browser, MEGAN);
    assert.match((await card.textContent()) ?? '', /Megan Bowen is now Available/);
  });

  it('watches people picked in the personal chat’s people picker, named from the directory', async () => {
    const { page } = browser;
    await openConversation(page, 'Personal Chat');
    await sendMessage(page, '/watch');
    await pickPeopleAndWatch(page, [ADELE.name, PATTI.name]);
    await waitForText(page, `Watching ${ADELE.name}, ${PATTI.name}`);
  });

  it('watches a colleague picked from the mention popup in the group chat', async () => {
    const card = await watchByMention(env, browser, 'Group Chat', ADELE, { signIn: false });
    assert.match((await card.textContent()) ?? '', /Adele Vance is now Available/);
  });

  it('watches a colleague picked from the mention popup in a channel', async () => {
    const card = await watchByMention(env, browser, 'General', PATTI, { signIn: false });
    assert.match((await card.textContent()) ?? '', /Patti Fernandez is now Available/);
  });
});
