import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ADELE, MEGAN, says } from '../helpers/e2e-fixture';
import { signInThroughEntra } from '../helpers/entra-code-flow';
import {
  setPresence,
  signInLinkOf,
  startTestStack,
  waitForSubscriptionCovering,
  type TestStack,
} from '../helpers/local-stack-harness';

describe('local stack in msal mode (SIGN_IN_MODE=msal)', function () {
  this.timeout(240_000);
  let env: TestStack | undefined;

  before(async () => {
    env = await startTestStack('msal');
  });

  after(async () => {
    await env?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && env)
      process.stderr.write(`${await env.botLogTail()}\n`);
  });

  it('signs in through the code flow, alerts, and keeps the sign-in across a bot restart', async () => {
    const { playground, stack, dataDir } = env!;
    const chat = playground.config.personalChat.id;
    const sim = stack.simulator.url;
    await setPresence(sim, MEGAN.id, 'Busy', 'InACall');

    await playground.send(chat, `/watch ${MEGAN.name}`);
    const card = await playground.waitFor(chat, (m) => signInLinkOf(m) !== undefined);
    const link = signInLinkOf(card) ?? '';
    assert.match(link, new RegExp(`^${stack.botUrl}/auth/signin\\?state=`));
    const caPem = await readFile(path.join(dataDir, 'simulated-entra-ca.pem'), 'utf8');
    const page = await signInThroughEntra(link, caPem);
    assert.equal(page.status, 200);
    assert.match(page.text, /return to Teams/);

    await playground.waitFor(chat, says('You are signed in.'));
    await playground.waitFor(chat, says(`Watching ${MEGAN.name}`));
    await waitForSubscriptionCovering(sim, MEGAN.objectId);
    await setPresence(sim, MEGAN.id, 'Available', 'Available');
    await playground.waitFor(chat, says(`${MEGAN.name} is now Available`));

    await stack.restartBot();
    await playground.send(chat, `/watch ${ADELE.name}`);
    const answer = await playground.waitFor(
      chat,
      (m) => says(`Watching ${ADELE.name}`)(m) || (m !== card && signInLinkOf(m) !== undefined),
    );
    assert.equal(signInLinkOf(answer), undefined, 'asked to sign in again after the restart');
  });
});
