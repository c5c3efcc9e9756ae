import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { COMMON_PRESENCES } from '../../tools/simulator/presence/presence-values';
import { signInThroughEntra } from '../helpers/entra-code-flow';
import { freePort } from '../../tools/local/wait-until-ready';
import { recordFigure } from './resilience-figures';
import { channelUserOf, watchFromPersonalChat } from './stack/chat-flows';
import { isValidationToken, recordIssuedTokens } from './stack/issued-tokens';
import { BURST_START, runBurst, until } from './stack/presence-burst';
import {
  BOT_CHANNEL_ID,
  ORGANISATION,
  startResilienceStack,
  type ResilienceStack,
} from './stack/resilience-stack';
import { filesUnder, scanForSecrets } from './stack/secret-scan';

const WATCHER = ORGANISATION[0]!;
const TARGETS = ORGANISATION.slice(6, 9);
/** MSAL treats an access token this close to its end as expired and refreshes it. */
const MSAL_RENEWAL_OFFSET_SECONDS = 300;
/**
 * Just over MSAL's renewal offset: a few seconds after issue MSAL refreshes silently. Refreshed
 * tokens live the usual 60 to 90 minutes.
 */
const SHORT_LIFETIME_SECONDS = MSAL_RENEWAL_OFFSET_SECONDS + 3;

/** Makes the simulated Entra issue access tokens that MSAL treats as expired within seconds. */
function issueShortLivedTokens(stack: ResilienceStack): void {
  const authority = stack.sim.authority;
  const issue = authority.issue.bind(authority);
  authority.issue = (request) => issue({ ...request, lifetimeSeconds: SHORT_LIFETIME_SECONDS });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('secrets in msal mode: MSAL caches and logs hold no token or client secret in clear', function () {
  this.timeout(180_000);
  let stack: ResilienceStack;

  before(async () => {
    stack = await startResilienceStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it('finds no access or refresh token nor the client secret after sign-in, refresh and a restart', async () => {
    issueShortLivedTokens(stack);
    const issued = recordIssuedTokens(stack);
    const clientSecret = randomBytes(32).toString('base64url');
    const storeKey = randomBytes(32).toString('base64');
    const port = await freePort();
    const caFile = path.join(stack.dir, 'entra-ca.pem');
    await writeFile(caFile, stack.sim.entra.caCertificatePem, { mode: 0o600 });
    stack.sim.entra.apps.register({
      clientId: BOT_CHANNEL_ID,
      clientSecrets: [clientSecret],
      redirectUris: [`http://127.0.0.1:${port}/auth/callback`],
    });
    const authority = new URL(stack.sim.entra.authorityUrl);
    const options = {
      port,
      logLevel: 'debug',
      env: {
        STORE_ENCRYPTION_KEY: storeKey,
        SIGN_IN_MODE: 'msal',
        AAD_APP_CLIENT_ID: BOT_CHANNEL_ID,
        AAD_APP_CLIENT_SECRET: clientSecret,
        AAD_APP_TENANT_ID: authority.pathname.slice(1),
        AAD_APP_OAUTH_AUTHORITY_HOST: authority.origin,
        SIGN_IN_TRUSTED_CA_FILE: caFile,
      },
    };
    for (const person of TARGETS) stack.sim.setPresence(person.id, BURST_START);
    let bot = await stack.startInstance('bot', options);
    const conversation = { id: `a:secrets-msal-${WATCHER.id}`, type: 'personal' as const };
    const user = channelUserOf(WATCHER);
    const signIn = async (link: string): Promise<void> => {
      const page = await signInThroughEntra(
        link,
        stack.sim.entra.caCertificatePem,
        WATCHER.userPrincipalName,
      );
      assert.equal(page.status, 200, page.text);
    };
    await watchFromPersonalChat(stack, conversation, user, TARGETS.slice(0, 2), '', signIn);
    await runBurst(
      stack.sim,
      TARGETS.slice(0, 2),
      { from: 0, to: 10 },
      { pauseEvery: 3, pauseMs: 100 },
    );
    await pause((SHORT_LIFETIME_SECONDS - MSAL_RENEWAL_OFFSET_SECONDS + 1) * 1000);
    for (const subscription of stack.sim.subscriptions())
      stack.sim.triggerLifecycle(subscription.id, 'reauthorizationRequired');
    await until(
      'the keeper renewed with a token MSAL refreshed silently',
      async () => stack.sim.subscriptions().every((s) => s.tokenExpiresAt > issued[0]!.expiresAt),
      30_000,
      async () => issued.length,
    );
    await bot.stop();
    bot = await stack.startInstance('bot', options);
    await watchFromPersonalChat(stack, conversation, user, TARGETS.slice(2), '', signIn);
    stack.sim.setPresence(TARGETS[2]!.id, COMMON_PRESENCES.away);
    await stack.channel.say(conversation, user, '/signout');
    await pause(2_000);
    await bot.stop();

    const values = [
      ...issued.flatMap((t) => [
        { kind: 'access token', value: t.accessToken },
        { kind: 'refresh token', value: t.refreshToken },
      ]),
      { kind: 'client secret', value: clientSecret },
      { kind: 'store key', value: storeKey },
    ];
    const log = (await filesUnder(stack.dir)).find((f) => f.name === 'bot.log')?.text ?? '';
    const database = await filesUnder(`${stack.dir}/data`);
    const findings = scanForSecrets([{ name: 'bot.log', text: log }, ...database], {
      values,
      patterns: [
        {
          kind: 'JWT other than a Graph validation token',
          pattern: /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+/,
          allowed: isValidationToken,
        },
      ],
    });
    recordFigure('secrets-msal', 'log lines scanned (debug)', log.split('\n').length);
    recordFigure('secrets-msal', 'tokens issued by the simulated Entra', issued.length);
    recordFigure('secrets-msal', 'secrets found in clear', findings.length, '0');
    assert.ok(log.includes('"level":20'), 'the scenario logged at debug level');
    assert.ok(database.length >= 1, 'the SQLite database was scanned');
    assert.ok(issued.length >= 2, 'MSAL signed in and refreshed through the simulated Entra');
    assert.ok(log.includes('signed in with an authorization code'));
    assert.deepEqual(findings, []);
  });
});
