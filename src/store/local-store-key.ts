import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors/app-error';

const KEY_FILE = 'store.key';
const KEY_BYTES = 32;

/**
 * Returns the 32-byte store key kept in `<dataDir>/store.key` (base64, mode 0600), creating it on
 * first use. Only for when STORE_ENCRYPTION_KEY is not configured, outside production.
 */
export async function loadOrCreateLocalStoreKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, KEY_FILE);
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const created = await createKeyFile(file);
    if (created) return created;
    await chmod(file, 0o600);
    return parseKey(await readFile(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('STORE_UNAVAILABLE', `cannot read or create ${file}`, { cause: error });
  }
}

/** Writes a new key atomically (temp file, then hard link); undefined when the file already exists. */
async function createKeyFile(file: string): Promise<Buffer | undefined> {
  const key = randomBytes(KEY_BYTES);
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function parseKey(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new AppError('STORE_UNAVAILABLE', `${file} does not hold a 32-byte base64 key`);
  }
  return key;
}
