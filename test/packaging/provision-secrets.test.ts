import assert from 'node:assert/strict';
import {
  PROVISIONED_VALUE_NAMES,
  provisionSecretCommands,
} from '../../src/packaging/provision-secrets';

function parseCommands(lines: string[]): Record<string, string> {
  return Object.fromEntries(
    lines.map((line) => {
      const match = /^::set-teamsfx-env ([A-Z_]+)=(.+)$/.exec(line);
      assert.ok(match, `not a set-teamsfx-env line: ${line}`);
      return [match[1], match[2]];
    }),
  );
}

describe('provision-secrets', () => {
  it('generates every value an environment lacks, in the form the config and Azure accept', () => {
    const values = parseCommands(provisionSecretCommands({}));
    assert.deepEqual(Object.keys(values).sort(), [...PROVISIONED_VALUE_NAMES].sort());
    assert.equal(Buffer.from(values.SECRET_STORE_ENCRYPTION_KEY ?? '', 'base64').length, 32);
    assert.match(values.AAD_APP_ACCESS_AS_USER_PERMISSION_ID ?? '', /^[0-9a-f-]{36}$/);
    assert.match(values.RESOURCE_SUFFIX ?? '', /^[0-9a-f]{6}$/);
    const password = values.SECRET_POSTGRES_ADMIN_PASSWORD ?? '';
    assert.match(password, /[A-Z]/);
    assert.match(password, /[a-z]/);
    assert.match(password, /[0-9]/);
    assert.equal(encodeURIComponent(password), password);
  });

  it('never replaces a value the environment already has', () => {
    const lines = provisionSecretCommands({
      SECRET_STORE_ENCRYPTION_KEY: 'kept',
      RESOURCE_SUFFIX: 'abc123',
    });
    const names = Object.keys(parseCommands(lines));
    assert.ok(!names.includes('SECRET_STORE_ENCRYPTION_KEY'));
    assert.ok(!names.includes('RESOURCE_SUFFIX'));
    assert.equal(names.length, PROVISIONED_VALUE_NAMES.length - 2);
  });

  it('generates a different store key each time', () => {
    const first = parseCommands(provisionSecretCommands({})).SECRET_STORE_ENCRYPTION_KEY;
    const second = parseCommands(provisionSecretCommands({})).SECRET_STORE_ENCRYPTION_KEY;
    assert.notEqual(first, second);
  });
});
