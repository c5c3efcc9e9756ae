import { randomBytes, randomUUID } from 'node:crypto';

/** A value the provision step creates once per environment and the toolkit keeps in env/.env.<env>(.user). */
interface GeneratedValue {
  readonly name: string;
  readonly generate: () => string;
}

const GENERATED_VALUES: readonly GeneratedValue[] = [
  { name: 'SECRET_STORE_ENCRYPTION_KEY', generate: () => randomBytes(32).toString('base64') },
  {
    name: 'SECRET_POSTGRES_ADMIN_PASSWORD',
    generate: () => `Pw1-${randomBytes(24).toString('base64url')}`,
  },
  { name: 'AAD_APP_ACCESS_AS_USER_PERMISSION_ID', generate: () => randomUUID() },
  { name: 'RESOURCE_SUFFIX', generate: () => randomBytes(3).toString('hex') },
];

/** Names of every value the provision-secrets step can write to the environment. */
export const PROVISIONED_VALUE_NAMES: readonly string[] = GENERATED_VALUES.map((v) => v.name);

/**
 * The toolkit's `::set-teamsfx-env NAME=value` lines for values `env` does not have yet.
 * Existing values are never replaced: a new store key would orphan everything encrypted with the old one.
 */
export function provisionSecretCommands(
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return GENERATED_VALUES.filter(({ name }) => !env[name]).map(
    ({ name, generate }) => `::set-teamsfx-env ${name}=${generate()}`,
  );
}
