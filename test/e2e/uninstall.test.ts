import { MEGAN, says, useTestStack } from '../helpers/e2e-fixture';
import {
  acceptSignIn,
  setPresence,
  signInLinkOf,
  waitForSubscriptionCovering,
} from '../helpers/local-stack-harness';

/** Sends the Playground's own template of a lifecycle activity (install, uninstall...) to the bot. */
async function sendTemplateActivity(
  playgroundUrl: string,
  conversationId: string,
  type: string,
): Promise<void> {
  const query = new URLSearchParams({ conversationId, type });
  const template = await fetch(`${playgroundUrl}/_internal/v1/customActivities/template?${query}`);
  if (!template.ok) throw new Error(`no ${type} template: ${await template.text()}`);
  const posted = await fetch(`${playgroundUrl}/_internal/v1/customActivities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: await template.text(),
  });
  if (!posted.ok) throw new Error(`the Playground refused the ${type}: ${await posted.text()}`);
}

describe('uninstalling from the personal chat, through the Playground', function () {
  this.timeout(180_000);
  const env = useTestStack();

  it('signs the user out and forgets their watches: they must sign in again and watch nobody', async () => {
    const { playground, stack } = env.current;
    const chat = playground.config.personalChat.id;
    await setPresence(stack.simulator.url, MEGAN.id, 'Busy', 'InACall');
    await playground.send(chat, `/watch ${MEGAN.name}`);
    const card = await playground.waitFor(chat, (m) => signInLinkOf(m) !== undefined);
    await playground.send(chat, await acceptSignIn(signInLinkOf(card) ?? ''));
    await playground.waitFor(chat, says(`Watching ${MEGAN.name}`));
    await waitForSubscriptionCovering(stack.simulator.url, '0000000000021');

    await sendTemplateActivity(stack.playgroundUrl, chat, 'uninstall');

    await playground.send(chat, '/watching');
    const again = await playground.waitFor(
      chat,
      (m) => m !== card && signInLinkOf(m) !== undefined,
    );
    await playground.send(chat, await acceptSignIn(signInLinkOf(again) ?? ''));
    await playground.waitFor(chat, says('Nobody is watched here'));
  });
});
