import { startTestStack, type TestStack } from './local-stack-harness';
import { messageText, type StreamedMessage } from './playground-client';

/** A person of the Agents Playground's default roster: its user id, name and Entra object id. */
export interface PlaygroundPerson {
  readonly id: string;
  readonly name: string;
  readonly objectId: string;
}

export const MEGAN: PlaygroundPerson = {
  id: 'user-id-1',
  name: 'Megan Bowen',
  objectId: '00000000-0000-0000-0000-0000000000021',
};

export const ADELE: PlaygroundPerson = {
  id: 'user-id-2',
  name: 'Adele Vance',
  objectId: '00000000-0000-0000-0000-0000000000022',
};

/** Matches a bot message whose visible text contains `text`. */
export const says =
  (text: string) =>
  (message: StreamedMessage): boolean =>
    messageText(message).includes(text);

/**
 * Starts the whole local stack once for the enclosing `describe`, stops it after, and prints the
 * bot's log tail when a test fails; `current` is the running stack.
 */
export function useTestStack(): { readonly current: TestStack } {
  let running: TestStack | undefined;
  before(async () => {
    running = await startTestStack();
  });
  after(async () => {
    await running?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && running) {
      process.stderr.write(`${await running.botLogTail()}\n`);
    }
  });
  return {
    get current(): TestStack {
      if (!running) throw new Error('the test stack is not running');
      return running;
    },
  };
}
