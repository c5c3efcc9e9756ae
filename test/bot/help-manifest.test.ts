import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { COMMAND_PATTERNS } from '../../src/bot/command-text';
import { HELP_TEXT } from '../../src/bot/commands/help-command';

interface ManifestCommands {
  bots: { commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
}

const helpCommands = (): string[] =>
  [...new Set([...HELP_TEXT.matchAll(/\*\*\/([a-z]+)/g)].map((match) => `/${match[1]}`))].sort();

describe('help text and manifest commands', () => {
  let manifest: ManifestCommands;

  before(async () => {
    const file = path.join(__dirname, '..', '..', 'appPackage', 'manifest.json');
    manifest = JSON.parse(await readFile(file, 'utf8')) as ManifestCommands;
  });

  it('lists the same commands in /help as in every scope of the manifest', () => {
    const lists = manifest.bots[0]?.commandLists ?? [];
    assert.deepEqual(lists.flatMap((list) => list.scopes).sort(), [
      'groupChat',
      'personal',
      'team',
    ]);
    for (const list of lists) {
      const titles = list.commands.map((command) => command.title).sort();
      assert.deepEqual(titles, helpCommands(), list.scopes.join(','));
    }
  });

  it('understands every command it lists, and lists every command it understands', () => {
    const listed = helpCommands();
    for (const title of listed) {
      assert.ok(
        Object.values(COMMAND_PATTERNS).some((pattern) => pattern.test(title)),
        `${title} is not understood`,
      );
    }
    for (const [name, pattern] of Object.entries(COMMAND_PATTERNS)) {
      assert.ok(
        listed.some((title) => pattern.test(title)),
        `/${name} is not in the help`,
      );
    }
  });
});
