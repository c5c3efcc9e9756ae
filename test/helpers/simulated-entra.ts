import http from 'node:http';
import https from 'node:https';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { TEST_APP_ID } from './tenant-simulator-harness';

/** The bot's client secret the tests register with the simulated Entra. */
export const TEST_CLIENT_SECRET = 'test-client-secret-value';
/** The redirect URI the tests register for the authorization-code flow. */
export const TEST_REDIRECT_URI = 'https://bot.example.test/auth/callback';

/** Registers the test app (secret and redirect URI, plus any certificate) with the simulated Entra. */
export function registerTestApp(sim: RunningSimulator, certificatePems: string[] = []): void {
  sim.entra.apps.register({
    clientId: TEST_APP_ID,
    clientSecrets: [TEST_CLIENT_SECRET],
    certificatePems,
    redirectUris: [TEST_REDIRECT_URI],
  });
}

/** A Teams SSO token for the user, addressed to the test bot (what Teams hands the bot). */
export function ssoTokenFor(sim: RunningSimulator, userId: string): Promise<string> {
  return sim.authority.issueSsoToken({ userId, botAppId: TEST_APP_ID });
}

/** The user consents to the test app (what the consent page records). */
export function consent(sim: RunningSimulator, userId: string): void {
  sim.authority.recordConsent({
    userId,
    tenantId: sim.tenantId,
    appId: TEST_APP_ID,
    scopes: ['Presence.Read.All', 'User.ReadBasic.All'],
  });
}

/** An answer from the simulated Entra. */
export interface EntraAnswer {
  status: number;
  location: string | undefined;
  text: string;
}

/** The simulated Entra's authorize endpoint (on the simulator's plain-HTTP loopback listener). */
export function authorizeEndpointOf(sim: RunningSimulator): string {
  return `${sim.url}/${sim.tenantId}/oauth2/v2.0/authorize`;
}

/**
 * Calls the simulated Entra: over TLS trusting its CA, or over plain HTTP for the browser-facing
 * authorize endpoint (a form body is sent url-encoded).
 */
export function entraRequest(
  sim: RunningSimulator,
  method: 'GET' | 'POST',
  url: string,
  form?: Record<string, string>,
): Promise<EntraAnswer> {
  const body = form ? new URLSearchParams(form).toString() : '';
  return new Promise((resolve, reject) => {
    const client = new URL(url).protocol === 'http:' ? http : https;
    const request = client.request(
      url,
      {
        method,
        ca: sim.entra.caCertificatePem,
        headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Plays the user in the browser: opens the authorization URL and presses Accept; answers the redirect. */
export async function acceptConsent(sim: RunningSimulator, authorizationUrl: string): Promise<URL> {
  const page = await entraRequest(sim, 'GET', authorizationUrl);
  const action = /formaction="([^"]*decision=accept[^"]*)"/.exec(page.text)?.[1];
  if (page.status !== 200 || action === undefined) {
    throw new Error(`no consent page (${page.status}): ${page.text.slice(0, 200)}`);
  }
  const decision = await entraRequest(
    sim,
    'POST',
    new URL(action.replace(/&amp;/g, '&'), authorizationUrl).toString(),
  );
  if (decision.status !== 302 || decision.location === undefined) {
    throw new Error(`no redirect after consent (${decision.status})`);
  }
  return new URL(decision.location);
}
