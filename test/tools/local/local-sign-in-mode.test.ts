import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config/config';
import { localBotEnvironment } from '../../../tools/local/bot-process';
import { loadLocalConfig } from '../../../tools/local/local-config';

const SETTINGS = {
  port: 7410,
  dataDir: '/tmp/pw-local',
  simulatorUrl: 'http://127.0.0.1:7400',
  notificationAudience: 'playground-bot',
};

describe('local launcher: SIGN_IN_MODE', () => {
  it('runs the stack in bot-service mode unless msal is asked for', () => {
    assert.equal(loadLocalConfig({}).signInMode, 'bot-service');
    assert.equal(loadLocalConfig({ SIGN_IN_MODE: 'msal' }).signInMode, 'msal');
    assert.throws(() => loadLocalConfig({ SIGN_IN_MODE: 'oauth' }), /SIGN_IN_MODE/);
  });

  it('gives the bot an msal configuration the config module accepts, trusting the CA file only there', () => {
    const env = localBotEnvironment(
      {
        ...SETTINGS,
        msal: {
          clientId: 'playground-bot',
          clientSecret: 'run-secret',
          tenantId: '00000000-0000-0000-0000-0000000000001',
          authorityHost: 'https://127.0.0.1:7401',
          caFile: '/tmp/pw-local/simulated-entra-ca.pem',
        },
      },
      { PATH: '/usr/bin' },
    );
    const config = loadConfig(env);
    assert.ok(config.signIn.mode === 'msal');
    assert.equal(
      config.signIn.authority,
      'https://127.0.0.1:7401/00000000-0000-0000-0000-0000000000001',
    );
    assert.equal(config.signIn.trustedCaFile, '/tmp/pw-local/simulated-entra-ca.pem');
    assert.equal(env.NODE_EXTRA_CA_CERTS, undefined);
  });

  it('leaves the bot-service environment as it was', () => {
    const env = localBotEnvironment(SETTINGS, { PATH: '/usr/bin' });
    assert.equal(env.SIGN_IN_MODE, undefined);
    assert.equal(loadConfig(env).signIn.mode, 'bot-service');
  });
});
