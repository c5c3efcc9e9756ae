import { createPrivateKey, type KeyObject } from 'node:crypto';
import { certificateDerFromPem } from '../../src/notifications/keys/certificate';
import { silentLogger } from '../../src/logging/logger';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../tools/simulator/simulator-server';
import { generatedCertificate } from './generated-certificates';

/** The app id tests subscribe as. */
export const TEST_APP_ID = '6a1f3c2e-8d4b-4f7a-9e3c-2b1d0a9f8e7d';
/** Megan Bowen, the Playground's `user-id-1`. */
export const MEGAN_ID = '00000000-0000-0000-0000-0000000000021';
/** Alex Wilber, the Playground's current user `user-id-0`. */
export const ALEX_ID = '00000000-0000-0000-0000-0000000000020';
/** Adele Vance, `user-id-2`. */
export const ADELE_ID = '00000000-0000-0000-0000-0000000000022';

/** Starts a simulator for tests: manual presence, short timeouts and retries, silent logs. */
export function startTestSimulator(
  overrides: Partial<SimulatorOptions> = {},
): Promise<RunningSimulator> {
  return startSimulator({
    port: 0,
    presenceEngine: 'manual',
    handshakeTimeoutMs: 1_000,
    deliveryTimeoutMs: 1_000,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    logger: silentLogger(),
    ...overrides,
  });
}

/** A delegated Graph token for `userId` with the bot's scopes. */
export async function tokenFor(
  sim: RunningSimulator,
  userId: string,
  options: { lifetimeSeconds?: number; scopes?: string[] } = {},
): Promise<string> {
  const issued = await sim.issueToken({
    userId,
    appId: TEST_APP_ID,
    scopes: options.scopes ?? ['Presence.Read.All', 'User.ReadBasic.All'],
    ...(options.lifetimeSeconds === undefined ? {} : { lifetimeSeconds: options.lifetimeSeconds }),
  });
  return issued.accessToken;
}

/** Calls the simulator's Graph API with a bearer token. */
export async function graphCall(
  sim: RunningSimulator,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${sim.graphBaseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

/** A subscriber certificate: what goes in the request and the private key to decrypt with. */
export interface SubscriberCertificate {
  encryptionCertificate: string;
  privateKey: KeyObject;
}

/** The shared test certificate as a Graph `encryptionCertificate` plus its private key. */
export async function subscriberCertificate(): Promise<SubscriberCertificate> {
  const material = await generatedCertificate();
  return {
    encryptionCertificate: certificateDerFromPem(material.certificatePem).toString('base64'),
    privateKey: createPrivateKey(material.privateKeyPem),
  };
}

/** A rich presence subscription request for `ids`, expiring in `minutes`. */
export function presenceSubscriptionBody(
  sim: RunningSimulator,
  webhookUrl: string,
  ids: string[],
  certificate: SubscriberCertificate,
  minutes = 30,
): Record<string, unknown> {
  return {
    changeType: 'updated',
    notificationUrl: webhookUrl,
    lifecycleNotificationUrl: webhookUrl,
    resource: `/communications/presences?$filter=id in (${ids.map((id) => `'${id}'`).join(',')})`,
    expirationDateTime: new Date(sim.clock.now() + minutes * 60_000).toISOString(),
    includeResourceData: true,
    encryptionCertificate: certificate.encryptionCertificate,
    encryptionCertificateId: 'presence-watch-test-cert',
    clientState: 'test-client-state-secret',
  };
}
