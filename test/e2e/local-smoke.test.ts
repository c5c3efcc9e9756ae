import assert from 'node:assert/strict';
import { ADELE, MEGAN, says, useTestStack } from '../helpers/e2e-fixture';
import {
  acceptSignIn,
  setPresence,
  signInLinkOf,
  waitForSubscriptionCovering,
} from '../helpers/local-stack-harness';
import { at } from '../helpers/playground-client';

describe('local stack through the Playground REST and WebSocket surface', function () {
  this.timeout(180_000);
  const env = useTestStack();

  it('signs in through the simulator page in the personal chat and alerts when Megan becomes Available', async () => {
    const { playground, stack } = env.current;
    const chat = playground.config.personalChat.id;
    await setPresence(stack.simulator.url, MEGAN.id, 'Busy', 'InACall');

    await playground.send(chat, `/watch ${MEGAN.name}`);
    const card = await playground.waitFor(chat, (m) => signInLinkOf(m) !== undefined);
    const code = await acceptSignIn(signInLinkOf(card) ?? '');
    await playground.send(chat, code);

    await playground.waitFor(chat, says(`Watching ${MEGAN.name}`));
    await waitForSubscriptionCovering(stack.simulator.url, MEGAN.objectId);
    await setPresence(stack.simulator.url, MEGAN.id, 'Available', 'Available');

    const alert = await playground.waitFor(chat, says(`${MEGAN.name} is now Available`));
    assert.equal(alert.conversationId, chat);
  });

  it('watches a colleague mentioned in the group chat and alerts there', async () => {
    const { playground, stack } = env.current;
    const group = playground.config.groupChats[0]?.id ?? '';
    const bot = playground.config.bot;
    await setPresence(stack.simulator.url, ADELE.id, 'Away', 'Away');

    await playground.send(group, `${at(bot)} /watch ${at(ADELE)}`, [bot, ADELE]);
    await playground.waitFor(group, says(`Watching ${ADELE.name}`));
    await waitForSubscriptionCovering(stack.simulator.url, ADELE.objectId);
    await setPresence(stack.simulator.url, ADELE.id, 'Available', 'Available');

    const alert = await playground.waitFor(group, says(`${ADELE.name} is now Available`));
    assert.equal(alert.conversationId, group);
  });
});
