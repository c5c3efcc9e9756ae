// The first provision step (teamsapp.yml, teamsapp.local.yml). It runs on a fresh clone, before
// anything has installed node_modules, so it uses Node's built-in modules only.
//
// Prints the toolkit's `::set-teamsfx-env NAME=value` line for each value the environment lacks:
// the store encryption key, the PostgreSQL admin password and the resource name suffix, and, for
// each `DEFAULT_<NAME>` the step's `env` gives, <NAME> (for env files git does not track, such as
// env/.env.local). Values the environment already has are never replaced: a new store key would
// orphan everything encrypted with the old one. The toolkit itself generates the access_as_user
// scope id (aadApp/update).
import { randomBytes } from 'node:crypto';
import process from 'node:process';

const GENERATED_VALUES = [
  ['SECRET_STORE_ENCRYPTION_KEY', () => randomBytes(32).toString('base64')],
  ['SECRET_POSTGRES_ADMIN_PASSWORD', () => `Pw1-${randomBytes(24).toString('base64url')}`],
  ['RESOURCE_SUFFIX', () => randomBytes(3).toString('hex')],
];

const DEFAULT_PREFIX = 'DEFAULT_';

const defaults = Object.entries(process.env)
  .filter(([name]) => name.startsWith(DEFAULT_PREFIX) && name.length > DEFAULT_PREFIX.length)
  .map(([name, value]) => [name.slice(DEFAULT_PREFIX.length), () => value ?? '']);

for (const [name, generate] of [...GENERATED_VALUES, ...defaults]) {
  if (process.env[name]) continue;
  const value = generate();
  const quoted = /^[^"'\s]+$/.test(value) ? value : `"${value.replace(/"/g, '')}"`;
  process.stdout.write(`::set-teamsfx-env ${name}=${quoted}\n`);
}
