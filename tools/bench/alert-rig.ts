import { X509Certificate } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { FanOutSettings } from '../../src/alerts/alert-fanout';
import { buildFoundation } from '../../src/app/foundation';
import {
  buildAlerts,
  buildNotifications,
  buildWatching,
  type PresenceStored,
} from '../../src/app/service-builders';
import { connectToTeams } from '../../src/app/teams-connection';
import type { Timers } from '../../src/background/timers';
import { loadConfig } from '../../src/config/config';
import { silentLogger } from '../../src/logging/logger';
import type { KeyRingEntry } from '../../src/notifications/keys/key-ring';
import { closeServer, listen } from '../../src/server/http-server';
import { encryptForCertificate } from '../simulator/notification-encryption';
import { createValidationTokenIssuer } from '../simulator/validation-token-issuer';
import { postBody } from './http-load';
import {
  conversationOf,
  personId,
  RIG,
  seedAlertRig,
  subscriptionId,
  tenantId,
  tenantOf,
} from './alert-rig-seed';

/** A connection per notification: a reused keep-alive socket can meet the server closing it (ECONNRESET). */
const FRESH_CONNECTIONS = new http.Agent({ keepAlive: false });

/** How the alert rig is set up. */
export interface AlertRigOptions {
  /** People watched, one personal chat each; each can change once (fewer changes than people). */
  readonly people: number;
  /** Tenants the people are dealt over, round-robin (default 1); Teams allows ~50 sends/s per tenant. */
  readonly tenants?: number;
  /** The Bot Connector every conversation posts to. */
  readonly serviceUrl: string;
  /** The fan-out settings (default production's). */
  readonly fanOut?: FanOutSettings;
  /** The loops' timers (default real ones). */
  readonly timers?: Timers;
  /** Whether a stored presence change wakes the fan-out (default true; false: it polls only). */
  readonly presenceWakes?: boolean;
}

/** The notification path and alert delivery, built by the composition root's builders. */
export interface AlertRig {
  conversationOf(person: number): string;
  /** POSTs a notification that the person became Available (resolves once the 202 arrived). */
  notify(person: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the app's webhook, inbox worker, keeper sink and alert delivery (the keeper itself does
 * not run) over a fresh SQLite store seeded with watched people and one live subscription.
 */
export async function startAlertRig(options: AlertRigOptions): Promise<AlertRig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-alert-rig-'));
  const issuer = await createValidationTokenIssuer();
  const jwks = http.createServer((_request, response) =>
    response.end(JSON.stringify(issuer.jwks())),
  );
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0',
    NOTIFICATION_WORKER_THREADS: '0',
    GRAPH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as { port: number }).port}/keys`,
    NOTIFICATION_AUDIENCES: RIG.appId,
  });
  const foundation = await buildFoundation(config, silentLogger());
  const base = { ...foundation, timers: options.timers ?? foundation.timers };
  const tenants = options.tenants ?? 1;
  await seedAlertRig(
    base.store.db,
    base.storeKey,
    { people: options.people, tenants },
    options.serviceUrl,
  );
  const tokens = await Promise.all(
    Array.from({ length: tenants }, (_, tenant) =>
      issuer.issue({ tenantId: tenantId(tenant), audience: RIG.appId }),
    ),
  );
  const bodies = Array.from({ length: options.people }, (_, index) => {
    const tenant = tenantOf(index, tenants);
    return presenceBody(personId(index), tenant, base.keyRing.current(), tokens[tenant] ?? '');
  });
  const teams = await connectToTeams(base);
  const port = await listen(base.server, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const { presenceStored, watches, keeper } = buildWatching(base, teams, url);
  const alerts = buildAlerts(base, teams, watches, presenceStored, options.fanOut);
  const unheard: PresenceStored = new EventEmitter();
  const notifications = buildNotifications(
    base,
    keeper,
    options.presenceWakes === false ? unheard : presenceStored,
  );
  return {
    conversationOf,
    async notify(person) {
      const body = bodies[person];
      if (!body) throw new RangeError(`the rig has ${options.people} people`);
      const { status } = await postBody(`${url}/api/notifications`, body, FRESH_CONNECTIONS);
      if (status !== 202) throw new Error(`the webhook answered ${status}`);
    },
    async stop() {
      await closeServer(base.server);
      await keeper.stop();
      await alerts.stop();
      await notifications.stop();
      await base.telemetry.stop();
      await base.store.close();
      jwks.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function presenceBody(
  userId: string,
  tenant: number,
  certificate: KeyRingEntry,
  token: string,
): Buffer {
  const resourceData = {
    '@odata.id': `users/${userId}/presence`,
    '@odata.type': '#microsoft.graph.presence',
    id: userId,
  };
  const plaintext = { ...resourceData, availability: 'Available', activity: 'Available' };
  const item = {
    subscriptionId: subscriptionId(tenant),
    clientState: RIG.clientState,
    changeType: 'updated',
    tenantId: tenantId(tenant),
    resource: `communications/presences/${userId}`,
    subscriptionExpirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
    resourceData,
    encryptedContent: encryptForCertificate(Buffer.from(JSON.stringify(plaintext)), {
      publicKey: new X509Certificate(Buffer.from(certificate.certificateBase64, 'base64'))
        .publicKey,
      certificateId: certificate.certificateId,
      thumbprint: certificate.thumbprint,
    }),
  };
  return Buffer.from(JSON.stringify({ value: [item], validationTokens: [token] }));
}
