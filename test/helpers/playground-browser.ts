import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it (no browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A headless Chromium with a fresh profile, showing the Playground. */
export interface PlaygroundBrowser {
  readonly page: Page;
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Opens the Playground at `url` in headless Chromium. */
export async function openPlaygroundBrowser(url: string): Promise<PlaygroundBrowser> {
  const profile = await mkdtemp(path.join(tmpdir(), 'pw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.locator(EDITOR).first().waitFor({ timeout: 30_000 });
  return {
    page,
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const EDITOR = '[data-lexical-editor="true"][role="textbox"]';

/**
 * The Playground's Lexical message box. A channel also has a reply box under each thread (the bot's
 * welcome starts one), so there the "Start a new post" composer is the one.
 */
export function messageBox(page: Page): Locator {
  const newPost = page
    .getByRole('group')
    .filter({ hasText: /Start a new/ })
    .locator(EDITOR);
  return newPost.or(page.locator(EDITOR)).first();
}

/** Opens a conversation from the left rail: "Personal Chat", "Group Chat", "General"... */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByText(name, { exact: true }).first().click();
  await (await messageBox(page)).click();
}

/** Types `@query` and picks `name` from the mention popup. */
export async function typeMention(page: Page, query: string, name: string): Promise<void> {
  await page.keyboard.type(`@${query}`);
  await page.locator('#typeahead-menu [role="menuitem"]', { hasText: name }).first().click();
}

/** Types plain text into the message box. */
export async function typeText(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
}

/** Sends what is in the message box. */
export async function sendTyped(page: Page): Promise<void> {
  await page.keyboard.press('Enter');
}

/** Types a whole plain message and sends it. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await (await messageBox(page)).click();
  await typeText(page, text);
  await sendTyped(page);
}

/**
 * Clicks the newest sign-in card's button, accepts on the simulator's page that opens, and pastes
 * the code it shows into the chat (after an @mention of `botName` in group chats and channels,
 * where the Playground passes on only messages that mention the bot).
 */
export async function signInFromCard(browser: PlaygroundBrowser, botName?: string): Promise<void> {
  const { page, context } = browser;
  const button = page
    .getByRole('link', { name: 'Sign in', exact: true })
    .or(page.getByRole('button', { name: 'Sign in', exact: true }))
    .last();
  await button.waitFor({ timeout: 30_000 });
  const [signInPage] = await Promise.all([context.waitForEvent('page'), button.click()]);
  await signInPage.waitForLoadState();
  await signInPage.locator('#accept').click();
  const code = (await signInPage.locator('#magic-code').textContent({ timeout: 15_000 }))?.trim();
  await signInPage.close();
  if (!code) throw new Error('the sign-in page showed no code');
  await (await messageBox(page)).click();
  if (botName) await typeMention(page, botName.slice(0, 4), botName);
  await typeText(page, botName ? ` ${code}` : code);
  await sendTyped(page);
}

/** Waits until the page shows `text` (in a message or card) and returns that element. */
export async function waitForText(page: Page, text: string, timeoutMs = 30_000): Promise<Locator> {
  const found = page.getByText(text).last();
  await found.waitFor({ timeout: timeoutMs });
  return found;
}

/** Picks `names` in the newest people picker card (the Playground's people picker) and presses Watch. */
export async function pickPeopleAndWatch(page: Page, names: readonly string[]): Promise<void> {
  const card = page.locator('.ac-adaptiveCard', { hasText: 'Whom do you want to watch?' }).last();
  await card.waitFor({ timeout: 30_000 });
  const input = card.locator('.ms-PeoplePicker input').first();
  for (const name of names) {
    await input.click();
    await input.fill(name.split(' ')[0] ?? name);
    await page.locator('.ms-Suggestions-item', { hasText: name }).first().click();
  }
  await card.getByRole('button', { name: 'Watch' }).click();
}
