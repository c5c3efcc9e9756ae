import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway directory for files a test writes; `remove()` deletes it. */
export interface TempDirectory {
  /** Writes `content` to `name` inside the directory and returns its path. */
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

/** Creates a fresh temporary directory. */
export async function createTempDirectory(prefix = 'presence-watch-test-'): Promise<TempDirectory> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    async write(name, content) {
      const file = join(dir, name);
      await writeFile(file, content, 'utf8');
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
