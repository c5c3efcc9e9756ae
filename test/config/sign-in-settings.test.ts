import assert from 'node:assert/strict';
import path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { summarizeConfig } from '../../src/config/config-summary';
import { configError } from './config-error';

const MSAL = {
  SIGN_IN_MODE: 'msal',
  AAD_APP_CLIENT_ID: 'aad-app',
  AAD_APP_CLIENT_SECRET: 'aad-secret',
  AAD_APP_TENANT_ID: 'tenant-1',
};

describe('config: SIGN_IN_MODE', () => {
  it('defaults to the Bot Service OAuth connection', () => {
    assert.deepEqual(loadConfig({}).signIn, { mode: 'bot-service' });
    assert.throws(() => loadConfig({ SIGN_IN_MODE: 'oauth' }), /SIGN_IN_MODE/);
  });

  it('builds the msal sign-in from the Entra app, its secret and tenant', () => {
    const config = loadConfig({ ...MSAL, BOT_ID: 'bot-app', BOT_PASSWORD: 'pw' });
    assert.deepEqual(config.signIn, {
      mode: 'msal',
      clientId: 'aad-app',
      authority: 'https://login.microsoftonline.com/tenant-1',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: 'tenant-1',
      credential: { kind: 'secret', secret: 'aad-secret' },
      ssoAudiences: ['api://botid-bot-app', 'aad-app'],
      trustedCaFile: undefined,
    });
  });

  it('uses BOT_ID and its password or certificate when the Entra app is the bot (SSO templates)', () => {
    const withPassword = loadConfig({
      SIGN_IN_MODE: 'msal',
      BOT_ID: 'bot-app',
      BOT_PASSWORD: 'pw',
      AAD_APP_TENANT_ID: 't',
    });
    assert.equal(withPassword.signIn.mode === 'msal' && withPassword.signIn.clientId, 'bot-app');
    const withCertificate = loadConfig({
      SIGN_IN_MODE: 'msal',
      BOT_ID: 'bot-app',
      BOT_CERTIFICATE_THUMBPRINT: 'AB12',
      BOT_CERTIFICATE_KEY_FILE: 'bot.key',
      AAD_APP_TENANT_ID: 't',
    });
    assert.deepEqual(withCertificate.signIn.mode === 'msal' && withCertificate.signIn.credential, {
      kind: 'certificate',
      thumbprint: 'AB12',
      keyFile: path.resolve('bot.key'),
    });
  });

  it('reports every missing msal piece in one error', () => {
    const message = configError({ SIGN_IN_MODE: 'msal' });
    for (const name of ['AAD_APP_CLIENT_ID', 'AAD_APP_CLIENT_SECRET', 'AAD_APP_TENANT_ID'])
      assert.match(message, new RegExp(name));
  });

  it('does not lend the bot password to another Entra app', () => {
    const message = configError({
      SIGN_IN_MODE: 'msal',
      AAD_APP_CLIENT_ID: 'aad-app',
      BOT_ID: 'bot-app',
      BOT_PASSWORD: 'pw',
      AAD_APP_TENANT_ID: 't',
    });
    assert.match(message, /AAD_APP_CLIENT_SECRET/);
    assert.doesNotMatch(message, /AAD_APP_TENANT_ID/);
  });

  it('needs an https authority, and a public address in production', () => {
    assert.match(
      configError({ ...MSAL, AAD_APP_OAUTH_AUTHORITY_HOST: 'http://127.0.0.1:7000' }),
      /AAD_APP_OAUTH_AUTHORITY_HOST/,
    );
    const production = {
      ...MSAL,
      NODE_ENV: 'production',
      STORE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      BOT_ID: 'bot-app',
      BOT_PASSWORD: 'pw',
    };
    assert.match(configError(production), /BOT_DOMAIN/);
    assert.equal(loadConfig({ ...production, BOT_DOMAIN: 'bot.example.com' }).signIn.mode, 'msal');
  });

  it('takes configured SSO audiences and a local CA file, never a CA file in production', () => {
    const config = loadConfig({
      ...MSAL,
      SSO_AUDIENCES: 'api://bot.example.com/botid-x, aad-app',
      SIGN_IN_TRUSTED_CA_FILE: 'ca.pem',
    });
    assert.ok(config.signIn.mode === 'msal');
    assert.deepEqual(config.signIn.ssoAudiences, ['api://bot.example.com/botid-x', 'aad-app']);
    assert.equal(config.signIn.trustedCaFile, path.resolve('ca.pem'));
    assert.match(
      configError({ NODE_ENV: 'production', SIGN_IN_TRUSTED_CA_FILE: 'ca.pem' }),
      /SIGN_IN_TRUSTED_CA_FILE/,
    );
  });

  it('shows the mode in the summary, never the secret', () => {
    const text = JSON.stringify(summarizeConfig(loadConfig(MSAL)));
    assert.match(text, /"mode":"msal"/);
    assert.match(text, /"credential":"secret"/);
    assert.ok(!text.includes('aad-secret'));
    assert.match(JSON.stringify(summarizeConfig(loadConfig({}))), /"mode":"bot-service"/);
  });
});
