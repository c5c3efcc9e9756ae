import path from 'node:path';
import { startTestStack } from '../test/helpers/local-stack-harness';
import { openPlaygroundBrowser } from '../test/helpers/playground-browser';
import { watchInPersonalChat } from '../test/helpers/playground-browser-flows';

const OUTPUT = path.resolve(__dirname, '..', 'docs', 'alert-card.png');
const MEGAN = {
  id: 'user-id-1',
  name: 'Megan Bowen',
  objectId: '00000000-0000-0000-0000-0000000000021',
};

/** Regenerates docs/alert-card.png: a real alert card from the local stack in headless Chromium. */
async function main(): Promise<void> {
  const env = await startTestStack();
  try {
    const browser = await openPlaygroundBrowser(env.stack.playgroundUrl);
    try {
      const card = await watchInPersonalChat(env, browser, MEGAN);
      await card.screenshot({ path: OUTPUT });
      process.stdout.write(`wrote ${OUTPUT}\n`);
    } finally {
      await browser.close();
    }
  } finally {
    await env.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
