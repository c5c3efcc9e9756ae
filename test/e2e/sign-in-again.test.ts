import assert from 'node:assert/strict';
import { MEGAN, says, useTestStack } from '../helpers/e2e-fixture';
import {
  acceptSignIn,
  setPresence,
  signInLinkOf,
  waitForSubscriptionCovering,
} from '../helpers/local-stack-harness';
import { type PlaygroundClient, type StreamedMessage } from '../helpers/playground-client';

/** Waits until `count` distinct bot messages in the chat match. */
async function waitForCount(
  playground: PlaygroundClient,
  chat: string,
  matches: (message: StreamedMessage) => boolean,
  count: number,
  timeoutMs?: number,
): Promise<StreamedMessage> {
  const hits = new Set<StreamedMessage>();
  return playground.waitFor(
    chat,
    (message) => {
      if (matches(message)) hits.add(message);
      return hits.size >= count && hits.has(message);
    },
    timeoutMs,
  );
}

async function subscriptionsCovering(simulatorUrl: string, objectId: string): Promise<number> {
  const response = await fetch(`${simulatorUrl}/_sim/subscriptions`);
  const { value } = (await response.json()) as { value: { resource: string }[] };
  return value.filter((s) => s.resource.includes(objectId)).length;
}

describe('signing out and in again through the Playground', function () {
  this.timeout(180_000);
  const env = useTestStack();

  it('/signout deletes the subscription at once; after signing in again an alert arrives within seconds', async () => {
    const { playground, stack } = env.current;
    const chat = playground.config.personalChat.id;
    const sim = stack.simulator.url;
    await setPresence(sim, MEGAN.id, 'Busy', 'InACall');
    await playground.send(chat, `/watch ${MEGAN.name}`);
    const card = await playground.waitFor(chat, (m) => signInLinkOf(m) !== undefined);
    await playground.send(chat, await acceptSignIn(signInLinkOf(card) ?? ''));
    await playground.waitFor(chat, says(`Watching ${MEGAN.name}`));
    await waitForSubscriptionCovering(sim, MEGAN.objectId);

    await playground.send(chat, '/signout');
    await playground.waitFor(chat, says('presence subscription it kept is deleted'));
    assert.equal(await subscriptionsCovering(sim, MEGAN.objectId), 0);

    await playground.send(chat, '/watching');
    const again = await waitForCount(playground, chat, (m) => signInLinkOf(m) !== undefined, 2);
    await playground.send(chat, await acceptSignIn(signInLinkOf(again) ?? ''));
    await waitForCount(playground, chat, says('You are signed in.'), 2);
    const signedInAt = Date.now();
    await waitForSubscriptionCovering(sim, MEGAN.objectId, 10_000);
    await setPresence(sim, MEGAN.id, 'Available', 'Available');
    await playground.waitFor(chat, says(`${MEGAN.name} is now Available`), 10_000);
    const seconds = (Date.now() - signedInAt) / 1000;
    process.stdout.write(`      alert ${seconds.toFixed(1)} s after signing in again\n`);
  });
});
