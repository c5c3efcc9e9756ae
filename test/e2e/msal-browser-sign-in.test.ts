import assert from 'node:assert/strict';
import path from 'node:path';
import { ADELE, MEGAN } from '../helpers/e2e-fixture';
import { setPresence, startTestStack, type TestStack } from '../helpers/local-stack-harness';
import {
  openConversation,
  openPlaygroundBrowser,
  sendMessage,
  waitForText,
  type PlaygroundBrowser,
} from '../helpers/playground-browser';
import { alertWhenAvailable } from '../helpers/playground-browser-flows';

describe('msal mode in the Playground in headless Chromium', function () {
  this.timeout(240_000);
  let env: TestStack;
  let browser: PlaygroundBrowser;

  before(async () => {
    env = await startTestStack('msal');
    browser = await openPlaygroundBrowser(env.stack.playgroundUrl);
  });

  after(async () => {
    await browser?.close();
    await env?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const shot = path.join(env.dataDir, '..', `pw-msal-failure-${Date.now()}.png`);
    await browser.page.screenshot({ path: shot }).catch(() => undefined);
    process.stderr.write(`screenshot: ${shot}\n${await env.botLogTail()}\n`);
  });

  it('signs in on the simulated Entra page the browser opens, alerts, and keeps the sign-in across a restart', async () => {
    const { page, context } = browser;
    await setPresence(env.stack.simulator.url, MEGAN.id, 'Busy', 'InACall');
    await openConversation(page, 'Personal Chat');
    await sendMessage(page, `/watch @${MEGAN.name}`);
    const buttons = page
      .getByRole('link', { name: 'Sign in', exact: true })
      .or(page.getByRole('button', { name: 'Sign in', exact: true }));
    const button = buttons.last();
    await button.waitFor({ timeout: 30_000 });
    const [signInPage] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await signInPage.locator('#accept').click({ timeout: 30_000 });
    assert.match(signInPage.url(), /^http:\/\/127\.0\.0\.1:\d+\/auth\/callback\?/);
    await signInPage.getByText('return to Teams').waitFor({ timeout: 15_000 });
    await signInPage.close();
    await waitForText(page, 'You are signed in.');
    await waitForText(page, `Watching ${MEGAN.name}`);
    await alertWhenAvailable(env, browser, MEGAN);

    const signInCards = await buttons.count();
    await env.stack.restartBot();
    await sendMessage(page, `/watch @${ADELE.name}`);
    await waitForText(page, `Watching ${ADELE.name}`);
    assert.equal(await buttons.count(), signInCards, 'asked to sign in again after the restart');
  });
});
