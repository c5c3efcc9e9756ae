import assert from 'node:assert/strict';
import { ADELE, MEGAN, says, useTestStack } from '../helpers/e2e-fixture';
import {
  acceptSignIn,
  signInLinkOf,
  waitForSubscriptionCovering,
} from '../helpers/local-stack-harness';
import { at } from '../helpers/playground-client';

async function covered(simulatorUrl: string, objectId: string): Promise<boolean> {
  const response = await fetch(`${simulatorUrl}/_sim/subscriptions`);
  const { value } = (await response.json()) as { value: { resource: string }[] };
  return value.some((s) => s.resource.includes(objectId));
}

describe('a watcher leaving a group chat in the Playground', function () {
  this.timeout(180_000);
  const env = useTestStack();

  it('ends their watches there, tells the chat, and their subscription stops covering those people', async () => {
    const { playground, stack } = env.current;
    const sim = stack.simulator.url;
    const personal = playground.config.personalChat.id;
    const group = playground.config.groupChats[0]?.id ?? '';
    const bot = playground.config.bot;
    await playground.send(personal, `/watch ${MEGAN.name}`);
    const card = await playground.waitFor(personal, (m) => signInLinkOf(m) !== undefined);
    await playground.send(personal, await acceptSignIn(signInLinkOf(card) ?? ''));
    await playground.waitFor(personal, says(`Watching ${MEGAN.name}`));
    await playground.send(group, `${at(bot)} /watch ${at(ADELE)}`, [bot, ADELE]);
    await playground.waitFor(group, says(`Watching ${ADELE.name}`));
    await waitForSubscriptionCovering(sim, ADELE.objectId);

    const template = await fetch(
      `${stack.playgroundUrl}/_internal/v1/customActivities/template?conversationId=${group}&type=userRemoved`,
    );
    const removed = await fetch(`${stack.playgroundUrl}/_internal/v1/customActivities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: await template.text(),
    });
    assert.ok(removed.ok, await removed.text());

    await playground.waitFor(group, says('left, so the 1 watch they added here has ended'));
    const deadline = Date.now() + 60_000;
    while ((await covered(sim, ADELE.objectId)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(await covered(sim, ADELE.objectId), false);
    assert.equal(await covered(sim, MEGAN.objectId), true);
  });
});
