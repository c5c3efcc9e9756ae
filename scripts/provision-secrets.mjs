// The first provision step (teamsapp.yml, teamsapp.local.yml). It runs on a fresh clone, before
// anything has installed node_modules, so it uses Node's built-in modules only.
//
// Prints the toolkit's `::set-teamsfx-env NAME=value` line for each value the environment lacks:
// the store encryption key, the PostgreSQL admin password and the resource name suffix. Values the
// environment already has are never replaced: a new store key would orphan everything encrypted
// with the old one. The toolkit itself generates the access_as_user scope id (aadApp/update).
import { randomBytes } from 'node:crypto';
import process from 'node:process';

const GENERATED_VALUES = [
  ['SECRET_STORE_ENCRYPTION_KEY', () => randomBytes(32).toString('base64')],
  ['SECRET_POSTGRES_ADMIN_PASSWORD', () => `Pw1-${randomBytes(24).toString('base64url')}`],
  ['RESOURCE_SUFFIX', () => randomBytes(3).toString('hex')],
];

for (const [name, generate] of GENERATED_VALUES) {
  if (!process.env[name]) process.stdout.write(`::set-teamsfx-env ${name}=${generate()}\n`);
}
