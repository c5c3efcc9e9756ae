import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config';
import { AppError } from '../errors/app-error';

/** The bot's certificate private key (PEM) when it authenticates with one; KEY_LOAD_FAILED if unreadable. */
export async function readBotCertificateKey(config: Config): Promise<string | undefined> {
  if (!config.bot.certificate) return undefined;
  try {
    return await readFile(config.bot.certificate.keyFile, 'utf8');
  } catch {
    throw new AppError('KEY_LOAD_FAILED', 'BOT_CERTIFICATE_KEY_FILE could not be read');
  }
}
