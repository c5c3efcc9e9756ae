import assert from 'node:assert/strict';
import { MEGAN, says, useTestStack } from '../helpers/e2e-fixture';
import { acceptSignIn, setPresence, signInLinkOf } from '../helpers/local-stack-harness';
import { messageText } from '../helpers/playground-client';

async function waitUntilUncovered(simulatorUrl: string, objectId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${simulatorUrl}/_sim/subscriptions`);
    const { value } = (await response.json()) as { value: { resource: string }[] };
    if (!value.some((s) => s.resource.includes(objectId))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${objectId} is still covered after 60 s`);
}

describe('watching someone again through the Playground', function () {
  this.timeout(180_000);
  const env = useTestStack();

  it('alerts nothing the /watch card just showed after unwatch, a change nobody saw, and rewatch', async () => {
    const { playground, stack } = env.current;
    const chat = playground.config.personalChat.id;
    const sim = stack.simulator.url;
    await setPresence(sim, MEGAN.id, 'Available', 'Available');
    await playground.send(chat, `/watch ${MEGAN.name}`);
    const card = await playground.waitFor(chat, (m) => signInLinkOf(m) !== undefined);
    await playground.send(chat, await acceptSignIn(signInLinkOf(card) ?? ''));
    await playground.waitFor(chat, says(`Watching ${MEGAN.name}`));
    await playground.send(chat, `/unwatch ${MEGAN.name}`);
    await playground.waitFor(chat, says(`Stopped watching ${MEGAN.name}`));
    await waitUntilUncovered(sim, MEGAN.objectId);

    await setPresence(sim, MEGAN.id, 'Busy', 'InACall');
    await playground.send(chat, `/watch ${MEGAN.name}`);
    const shown = await playground.waitFor(
      chat,
      (m) => says('In a call')(m) && says('Watching')(m),
    );
    assert.match(messageText(shown), /Busy/);

    await assert.rejects(
      playground.waitFor(chat, says(`${MEGAN.name} is now Busy`), 8_000),
      /no matching bot message/,
    );
  });
});
