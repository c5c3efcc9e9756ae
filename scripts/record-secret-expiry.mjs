// Provision step after aadApp/create (teamsapp.yml): records when the bot's client secret expires,
// so the app can warn ahead of it (BOT_PASSWORD_EXPIRES_AT, passed to the App Service by the Bicep).
// aadApp/create does not report the expiry, so this step notices a new secret by its fingerprint
// (a SHA-256 prefix, kept as a SECRET_ value) and dates it CLIENT_SECRET_EXPIRE_DAYS from now,
// the value the step's `env` repeats from aadApp/create's clientSecretExpireDays.
// Node's built-in modules only: it runs before anything is installed.
import { createHash } from 'node:crypto';
import process from 'node:process';

const DAY_MS = 24 * 60 * 60 * 1000;
const env = process.env;
const secret = env.SECRET_BOT_PASSWORD ?? '';
const days = Number(env.CLIENT_SECRET_EXPIRE_DAYS);

if (!Number.isInteger(days) || days < 1) {
  process.stderr.write('CLIENT_SECRET_EXPIRE_DAYS must be a whole number of days\n');
  process.exit(1);
}

if (secret !== '') {
  const fingerprint = createHash('sha256').update(secret).digest('hex').slice(0, 32);
  const known = env.SECRET_BOT_PASSWORD_FINGERPRINT === fingerprint && env.BOT_PASSWORD_EXPIRES_AT;
  if (!known) {
    const expiresAt = new Date(Date.now() + days * DAY_MS).toISOString();
    process.stdout.write(`::set-teamsfx-env SECRET_BOT_PASSWORD_FINGERPRINT=${fingerprint}\n`);
    process.stdout.write(`::set-teamsfx-env BOT_PASSWORD_EXPIRES_AT=${expiresAt}\n`);
  }
}
