import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { drawColorIcon, drawOutlineIcon } from './app-icons';
import type { CommandContext } from './package-command';

/** `npm run icons`: draws appPackage/color.png and appPackage/outline.png. Returns the exit code. */
export async function runIconsCommand(
  context: Pick<CommandContext, 'root' | 'out'>,
): Promise<number> {
  const appPackageDir = path.join(context.root, 'appPackage');
  await writeFile(path.join(appPackageDir, 'color.png'), drawColorIcon());
  await writeFile(path.join(appPackageDir, 'outline.png'), drawOutlineIcon());
  context.out('wrote appPackage/color.png and appPackage/outline.png');
  return 0;
}
