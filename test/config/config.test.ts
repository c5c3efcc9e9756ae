import assert from 'node:assert/strict';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { summarizeConfig } from '../../src/config/config-summary';
import { configWarnings } from '../../src/config/config-warnings';
import { configError } from './config-error';

const KEY = Buffer.alloc(32, 7).toString('base64');
const PRODUCTION = { NODE_ENV: 'production', STORE_ENCRYPTION_KEY: KEY, BOT_ID: 'bot-app' };

describe('config', () => {
  it('runs with no configuration at all, on embedded defaults', () => {
    const config = loadConfig({});
    assert.equal(config.server.port, 3978);
    assert.equal(config.server.host, '127.0.0.1');
    assert.deepEqual(config.database, {
      kind: 'sqlite',
      file: path.resolve('.data/presence-watch.sqlite'),
    });
    assert.equal(config.log.format, 'pretty');
    assert.equal(
      config.notifications.jwksUrl,
      'https://login.microsoftonline.com/common/discovery/v2.0/keys',
    );
    assert.deepEqual(config.notifications.audiences, []);
  });

  it('reads PostgreSQL, certificates and audiences', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://pw:secret@db.example.com/pw',
      NOTIFICATION_CERT_FILES: 'a.crt, b.crt',
      NOTIFICATION_KEY_FILES: 'a.key,b.key',
      AAD_APP_CLIENT_ID: 'aad-app',
      BOT_ID: 'bot-app',
      BOT_PASSWORD: 'pw',
      BOT_DOMAIN: 'bot.example.com',
    });
    assert.equal(config.database.kind, 'postgres');
    assert.deepEqual(
      config.notifications.certificates.map((c) => path.basename(c.keyFile)),
      ['a.key', 'b.key'],
    );
    assert.deepEqual(config.notifications.audiences, ['aad-app', 'bot-app']);
    assert.equal(config.publicBaseUrl, 'https://bot.example.com');
  });

  it('takes an instance name for lease owners, without slashes or spaces', () => {
    assert.equal(loadConfig({}).instanceName, undefined);
    assert.equal(loadConfig({ INSTANCE_NAME: ' pod-a ' }).instanceName, 'pod-a');
    assert.match(configError({ INSTANCE_NAME: 'pod/a' }), /INSTANCE_NAME/);
  });

  it('reports every problem in one error', () => {
    const message = configError({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      NOTIFICATION_CERT_FILES: 'a.crt',
      STORE_ENCRYPTION_KEY: 'c2hvcnQ=',
      BOT_ID: 'bot',
    });
    for (const name of ['PORT', 'LOG_LEVEL']) assert.match(message, new RegExp(name));
    const crossField = configError({
      NOTIFICATION_CERT_FILES: 'a.crt',
      STORE_ENCRYPTION_KEY: 'c2hvcnQ=',
      BOT_ID: 'bot',
    });
    for (const name of ['NOTIFICATION_KEY_FILES', 'STORE_ENCRYPTION_KEY', 'BOT_PASSWORD'])
      assert.match(crossField, new RegExp(name));
  });

  it('demands a store key and an audience in production', () => {
    const message = configError({ NODE_ENV: 'production' });
    assert.match(message, /STORE_ENCRYPTION_KEY/);
    assert.match(message, /NOTIFICATION_AUDIENCES/);
    const config = loadConfig({ ...PRODUCTION, BOT_PASSWORD: 'pw' });
    assert.equal(config.log.format, 'json');
  });

  it('refuses production without BOT_ID, blank included, in the same error as the rest', () => {
    for (const botId of [undefined, '', '   ']) {
      const env: Record<string, string> = { NODE_ENV: 'production', AAD_APP_CLIENT_ID: 'aad' };
      if (botId !== undefined) env.BOT_ID = botId;
      const message = configError(env);
      assert.match(message, /BOT_ID: required in production/);
      assert.match(message, /STORE_ENCRYPTION_KEY/);
    }
  });

  it('refuses production with BOT_ID but no credential', () => {
    const message = configError({ ...PRODUCTION, BOT_TYPE: 'SingleTenant' });
    assert.match(message, /BOT_PASSWORD, BOT_CERTIFICATE_.+ or BOT_TYPE=UserAssignedMsi/);
  });

  it('accepts a password, a certificate or a managed identity as the bot credential', () => {
    const credentials: Record<string, string>[] = [
      { BOT_PASSWORD: 'pw' },
      { BOT_CERTIFICATE_THUMBPRINT: 'AB12', BOT_CERTIFICATE_KEY_FILE: 'bot.key' },
      { BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: 'tenant' },
    ];
    for (const credential of credentials) {
      assert.equal(loadConfig({ ...PRODUCTION, ...credential }).bot.id, 'bot-app');
    }
    const certificate = loadConfig({ ...PRODUCTION, ...credentials[1] }).bot.certificate;
    assert.deepEqual(certificate, { thumbprint: 'AB12', keyFile: path.resolve('bot.key') });
  });

  it('refuses a bot credential without BOT_ID, which would run with authentication off', () => {
    const credentials: Record<string, string>[] = [
      { BOT_PASSWORD: 'pw' },
      { BOT_CERTIFICATE_THUMBPRINT: 'AB12', BOT_CERTIFICATE_KEY_FILE: 'bot.key' },
    ];
    for (const credential of credentials) {
      const message = configError({ ...credential, PORT: 'abc' });
      assert.match(message, /BOT_ID: .*without it Bot Framework authentication is off/);
      assert.match(message, /PORT/, 'every problem in the one error');
    }
  });

  it('refuses plain http for Graph, its keys, the token service and the public address in production', () => {
    const message = configError({
      ...PRODUCTION,
      BOT_PASSWORD: 'pw',
      GRAPH_BASE_URL: 'http://graph.example.test/v1.0',
      GRAPH_JWKS_URL: 'http://keys.example.test/keys',
      BOT_OAUTH_API_URL: 'http://token.example.test',
      PUBLIC_BASE_URL: 'http://bot.example.test',
    });
    for (const name of [
      'GRAPH_BASE_URL',
      'GRAPH_JWKS_URL',
      'BOT_OAUTH_API_URL',
      'PUBLIC_BASE_URL',
    ]) {
      assert.match(message, new RegExp(`${name}: must be an https:// URL in production`));
    }
    const local = { GRAPH_BASE_URL: 'http://127.0.0.1:5100/v1.0' };
    assert.equal(loadConfig(local).graph.baseUrl, local.GRAPH_BASE_URL);
  });

  it('wants BOT_TENANT_ID for a single-tenant bot or a managed identity', () => {
    const credentials: Record<string, string>[] = [
      { BOT_TYPE: 'SingleTenant', BOT_PASSWORD: 'pw' },
      { BOT_TYPE: 'UserAssignedMsi' },
    ];
    for (const credential of credentials) {
      const message = configError({ ...PRODUCTION, ...credential, PORT: 'abc' });
      assert.match(
        message,
        new RegExp(`BOT_TENANT_ID: BOT_TYPE=${credential.BOT_TYPE ?? ''} needs`),
      );
      assert.match(message, /PORT/);
    }
  });

  it('wants a certificate thumbprint and key file together', () => {
    const message = configError({ BOT_ID: 'bot', BOT_CERTIFICATE_THUMBPRINT: 'AB12' });
    assert.match(message, /BOT_CERTIFICATE_KEY_FILE/);
  });

  it('warns when BOT_ID is set outside production, and only then', () => {
    const dev = loadConfig({ BOT_ID: 'bot', BOT_PASSWORD: 'pw' });
    assert.match(configWarnings(dev).join('\n'), /BOT_ID is set but NODE_ENV is development/);
    assert.deepEqual(configWarnings(loadConfig({})), []);
    assert.deepEqual(configWarnings(loadConfig({ ...PRODUCTION, BOT_PASSWORD: 'pw' })), []);
  });

  it('takes previous store keys for a rotation, each checked, none shown in the summary', () => {
    const previous = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)].map((k) => k.toString('base64'));
    const config = loadConfig({
      STORE_ENCRYPTION_KEY: KEY,
      STORE_ENCRYPTION_PREVIOUS_KEYS: ` ${previous[0]} , ${previous[1]} `,
    });
    assert.deepEqual(
      config.storePreviousKeys.map((key) => key.toString('base64')),
      previous,
    );
    assert.deepEqual(loadConfig({}).storePreviousKeys, []);
    const text = JSON.stringify(summarizeConfig(config));
    for (const key of previous) assert.ok(!text.includes(key));
    assert.match(text, /"storePreviousKeys":2/);
    const message = configError({
      STORE_ENCRYPTION_KEY: KEY,
      STORE_ENCRYPTION_PREVIOUS_KEYS: `${previous[0]},c2hvcnQ=,${KEY}`,
      PORT: 'eighty',
    });
    assert.match(message, /STORE_ENCRYPTION_PREVIOUS_KEYS\[1\]: must be 32 bytes/);
    assert.match(message, /STORE_ENCRYPTION_PREVIOUS_KEYS\[2\]: repeats STORE_ENCRYPTION_KEY/);
    assert.match(message, /PORT/);
    assert.ok(!message.includes(KEY));
  });

  it('is frozen', () => {
    const config = loadConfig({});
    assert.throws(() => {
      (config.server as { port: number }).port = 1;
    }, TypeError);
  });

  it('summarizes without secrets', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://pw:db-password@db/pw',
      STORE_ENCRYPTION_KEY: KEY,
      BOT_ID: 'bot',
      BOT_PASSWORD: 'bot-password',
      AAD_APP_CLIENT_SECRET: 'aad-secret',
    });
    const text = JSON.stringify(summarizeConfig(config));
    for (const secret of ['db-password', KEY, 'bot-password', 'aad-secret'])
      assert.ok(!text.includes(secret), secret);
    assert.match(text, /"storeEncryptionKey":"set"/);
  });
});
