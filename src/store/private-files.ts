import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';

const PRIVATE_DIRECTORY_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
const SQLITE_COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'];

/** Creates `dir` and any missing parents readable only by their owner (0700). */
export function makePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
}

/**
 * Creates the SQLite file 0600 when it is missing (SQLite then gives its -wal and -shm files the
 * same mode) and tightens an existing file and its companions to 0600.
 */
export function preparePrivateSqliteFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
  for (const suffix of SQLITE_COMPANION_SUFFIXES) tightenIfPresent(`${file}${suffix}`);
}

function tightenIfPresent(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
