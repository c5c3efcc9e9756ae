import type { Locator } from 'playwright-core';
import { setPresence, waitForSubscriptionCovering, type TestStack } from './local-stack-harness';
import {
  openConversation,
  sendMessage,
  sendTyped,
  signInFromCard,
  typeMention,
  typeText,
  waitForText,
  type PlaygroundBrowser,
} from './playground-browser';

/** A Playground person as the flows use them. */
export interface FlowPerson {
  id: string;
  name: string;
  objectId: string;
}

/** The alert card (the rendered Adaptive Card) that says `name` is now Available. */
export function availableCard(browser: PlaygroundBrowser, name: string): Locator {
  return browser.page.locator('.ac-adaptiveCard', { hasText: `${name} is now Available` }).last();
}

/** Makes `person` Busy, lets the keeper cover them, then Available; waits for the card in the page. */
export async function alertWhenAvailable(
  env: TestStack,
  browser: PlaygroundBrowser,
  person: FlowPerson,
): Promise<Locator> {
  await waitForSubscriptionCovering(env.stack.simulator.url, person.objectId);
  await setPresence(env.stack.simulator.url, person.id, 'Available', 'Available');
  await waitForText(browser.page, `${person.name} is now Available`, 60_000);
  return availableCard(browser, person.name);
}

/**
 * Personal chat: types `/watch @Name` as a newcomer would (there is no one to mention there),
 * signs in through the simulator page, and waits for the alert card.
 */
export async function watchInPersonalChat(
  env: TestStack,
  browser: PlaygroundBrowser,
  person: FlowPerson,
): Promise<Locator> {
  await setPresence(env.stack.simulator.url, person.id, 'Busy', 'InACall');
  await openConversation(browser.page, 'Personal Chat');
  await sendMessage(browser.page, `/watch @${person.name}`);
  await signInFromCard(browser);
  await waitForText(browser.page, `Watching ${person.name}`);
  return alertWhenAvailable(env, browser, person);
}

/**
 * Group chat or channel: @mentions the bot, types `/watch`, picks the person from the mention
 * popup, signs in if asked, and waits for the alert card.
 */
export async function watchByMention(
  env: TestStack,
  browser: PlaygroundBrowser,
  conversation: string,
  person: FlowPerson,
  options: { signIn: boolean },
): Promise<Locator> {
  const { page } = browser;
  const botName = env.playground.config.bot.name;
  await setPresence(env.stack.simulator.url, person.id, 'Away', 'Away');
  await openConversation(page, conversation);
  await typeMention(page, botName.slice(0, 4), botName);
  await typeText(page, ' /watch ');
  await typeMention(page, person.name.slice(0, 3), person.name);
  await sendTyped(page);
  if (options.signIn) await signInFromCard(browser, botName);
  await waitForText(page, `Watching ${person.name}`);
  return alertWhenAvailable(env, browser, person);
}
