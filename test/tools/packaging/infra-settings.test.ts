import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_VARIABLES, loadConfig } from '../../../src/config/config';

const infraDir = path.join(__dirname, '..', '..', '..', 'infra');

/** Names the config module needs in production for the Azure design (Key Vault, OAuth connection). */
const REQUIRED_IN_AZURE = [
  'NODE_ENV',
  'HOST',
  'STORE_ENCRYPTION_KEY',
  'NOTIFICATION_AUDIENCES',
  'BOT_ID',
  'BOT_PASSWORD',
  'BOT_TENANT_ID',
  'BOT_TYPE',
  'BOT_DOMAIN',
  'PUBLIC_BASE_URL',
  'DATABASE_URL',
  'OAUTH_CONNECTION_NAME',
];

const HOST = 'presencewatchab12cd.azurewebsites.net';
const BOT_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const STORE_KEY = randomBytes(32).toString('base64');
const APP_INSIGHTS =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/';

/** Stand-ins for what each Bicep expression evaluates to in Azure. */
const EXPRESSION_VALUES: Record<string, string> = {
  'webApp.properties.defaultHostName': HOST,
  botAadAppClientId: BOT_ID,
  botTenantId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  oauthConnectionName: 'graph',
  signInMode: 'bot-service',
  botPasswordExpiresAt: '2027-06-01T00:00:00.000Z',
  'storeKeySecret.properties.secretUri': STORE_KEY,
  'appInsights.properties.ConnectionString': APP_INSIGHTS,
  'botPasswordSecret.properties.secretUri': 'bot-client-secret',
  'databaseUrlSecret.properties.secretUri':
    'postgres://presencewatch:pw@server:5432/presencewatch?sslmode=require',
};

/** The `name: expression` entries of a Bicep object variable. */
function bicepObjectVariable(bicep: string, name: string): Map<string, string> {
  const start = bicep.indexOf(`var ${name} = {`);
  assert.ok(start >= 0, `infra/azure.bicep has no var ${name}`);
  const body = bicep.slice(start, bicep.indexOf('\n}', start));
  const entries = [...body.matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*):\s*(.+?)\s*$/gm)];
  return new Map(entries.map((match) => [match[1] ?? '', match[2] ?? '']));
}

function evaluate(expression: string): string {
  const keyVault = /^'@Microsoft\.KeyVault\(SecretUri=\$\{(.+)\}\)'$/.exec(expression);
  if (keyVault) return known(keyVault[1] ?? '');
  const literal = /^'(.*)'$/.exec(expression);
  if (literal)
    return (literal[1] ?? '').replace(/\$\{([^}]+)\}/g, (_m, inner: string) => known(inner));
  return known(expression);
}

function known(expression: string): string {
  const value = EXPRESSION_VALUES[expression];
  assert.ok(value !== undefined, `no stand-in value for Bicep expression ${expression}`);
  return value;
}

describe('infra/azure.bicep app settings', () => {
  let bicep: string;
  let settings: Map<string, string>;
  before(async () => {
    bicep = await readFile(path.join(infraDir, 'azure.bicep'), 'utf8');
    settings = bicepObjectVariable(bicep, 'appConfigSettings');
  });

  it('sets only names the config module reads', () => {
    const unknown = [...settings.keys()].filter((name) => !CONFIG_VARIABLES.includes(name));
    assert.deepEqual(unknown, []);
  });

  it('keeps platform settings apart: App Service names the config never reads', () => {
    for (const name of bicepObjectVariable(bicep, 'platformSettings').keys()) {
      assert.match(name, /^(WEBSITE|WEBSITES|SCM)_/);
      assert.ok(!CONFIG_VARIABLES.includes(name), name);
    }
  });

  it('sets every name the config needs in production', () => {
    const missing = REQUIRED_IN_AZURE.filter((name) => !settings.has(name));
    assert.deepEqual(missing, []);
    assert.ok(REQUIRED_IN_AZURE.every((name) => CONFIG_VARIABLES.includes(name)));
  });

  it('keeps secrets in Key Vault references', () => {
    for (const name of ['STORE_ENCRYPTION_KEY', 'BOT_PASSWORD', 'DATABASE_URL']) {
      assert.match(
        settings.get(name) ?? '',
        /^'@Microsoft\.KeyVault\(SecretUri=\$\{.+\.properties\.secretUri\}\)'$/,
      );
    }
  });

  it('gives a configuration the config module accepts in production', () => {
    const env = Object.fromEntries([...settings].map(([name, value]) => [name, evaluate(value)]));
    const config = loadConfig({ ...env, PORT: '8080' });
    assert.equal(config.environment, 'production');
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.database.kind, 'postgres');
    assert.equal(config.publicBaseUrl, `https://${HOST}`);
    assert.deepEqual(config.notifications.audiences, [BOT_ID]);
    assert.equal(config.bot.type, 'SingleTenant');
    assert.equal(config.storeEncryptionKey?.length, 32);
    assert.equal(config.graph.oauthConnectionName, 'graph');
    assert.equal(config.bot.passwordExpiresAt, Date.parse('2027-06-01T00:00:00Z'));
    assert.equal(config.metrics.applicationInsightsConnectionString, APP_INSIGHTS);
  });

  it('gives a configuration the config module accepts in msal mode, with no OAuth connection', async () => {
    const env = Object.fromEntries([...settings].map(([name, value]) => [name, evaluate(value)]));
    const config = loadConfig({ ...env, PORT: '8080', SIGN_IN_MODE: 'msal' });
    assert.equal(config.signIn.mode, 'msal');
    assert.ok(config.signIn.mode === 'msal');
    assert.equal(config.signIn.clientId, BOT_ID);
    assert.equal(config.signIn.tenantId, EXPRESSION_VALUES.botTenantId);
    assert.deepEqual(config.signIn.credential, { kind: 'secret', secret: 'bot-client-secret' });
    assert.equal(settings.get('SIGN_IN_MODE'), 'signInMode');
    assert.match(bicep, /^\s+signInMode: signInMode$/m);
    const botRegistration = await readFile(
      path.join(infraDir, 'botRegistration', 'azurebot.bicep'),
      'utf8',
    );
    assert.match(
      botRegistration,
      /^resource graphConnection '[^']+' = if \(signInMode == 'bot-service'\) \{$/m,
    );
  });

  it('makes /healthz the App Service health check', () => {
    assert.match(bicep, /^\s+healthCheckPath: '\/healthz'$/m);
  });

  it('keeps PostgreSQL off the public network unless public access is chosen', () => {
    assert.match(bicep, /^param postgresAccess string = 'private'$/m);
    assert.match(bicep, /publicNetworkAccess: 'Disabled'/);
    assert.match(
      bicep,
      /resource postgresAllowAzure '[^']+' = if \(postgresEnabled && !postgresPrivate\)/,
    );
  });

  it('points SQLite at the persistent /home storage when PostgreSQL is off', () => {
    const sqliteUrl = /var sqliteUrl = '(.+)'/.exec(bicep)?.[1] ?? '';
    assert.equal(sqliteUrl, 'sqlite:/home/data/presence-watch.sqlite');
    const config = loadConfig({ DATABASE_URL: sqliteUrl });
    assert.deepEqual(config.database, { kind: 'sqlite', file: '/home/data/presence-watch.sqlite' });
  });

  it('writes back the outputs the toolkit steps use', () => {
    const outputs = [...bicep.matchAll(/^output (\w+) /gm)].map((match) => match[1]);
    for (const name of ['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN']) {
      assert.ok(outputs.includes(name), name);
    }
  });
});

for (const [template, parameters] of [
  ['azure.bicep', 'azure.parameters.json'],
  [
    path.join('botRegistration', 'azurebot.bicep'),
    path.join('botRegistration', 'azurebot.parameters.json'),
  ],
] as const) {
  describe(`infra/${parameters}`, () => {
    it(`passes only parameters ${template} declares, and every one it requires`, async () => {
      const bicep = await readFile(path.join(infraDir, template), 'utf8');
      const file = JSON.parse(await readFile(path.join(infraDir, parameters), 'utf8'));
      const declared = [...bicep.matchAll(/^param (\w+) (\w+)( =)?/gm)];
      const given = Object.keys(file.parameters);
      assert.deepEqual(
        given.filter((name) => !declared.some((match) => match[1] === name)),
        [],
      );
      const required = declared.filter((match) => !match[3]).map((match) => match[1]);
      assert.deepEqual(
        required.filter((name) => name && !given.includes(name)),
        [],
      );
    });
  });
}
