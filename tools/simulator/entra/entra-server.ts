import restify, { type Server } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import type { AccessTokenAuthority, SimDirectory } from '../identity';
import { createAppRegistry, type AppRegistration, type AppRegistry } from './app-registrations';
import { registerAuthorizeEndpoint } from './authorize-endpoint';
import { createAuthorizationCodes } from './authorization-codes';
import { createLocalTlsMaterial } from './local-ca';
import { registerOpenIdRoutes } from './openid-routes';
import { registerTokenEndpoint } from './token-endpoint';

/** How to start the simulated Entra. */
export interface EntraServerOptions {
  authority: AccessTokenAuthority;
  directory: SimDirectory;
  tenantId: string;
  now: () => number;
  host: string;
  port: number;
  apps?: readonly AppRegistration[];
  /** The simulator's plain-HTTP listener: the authorize endpoint (a browser page) is mounted there. */
  browserServer: Server;
  /** That listener's base URL once it listens, e.g. `http://127.0.0.1:5100`. */
  browserUrl: () => string;
  logger: Logger;
}

/** The simulated Entra on its TLS listener. */
export interface RunningEntra {
  /** Base URL, e.g. `https://127.0.0.1:5101`. */
  url: string;
  /** The authority MSAL is configured with: `https://127.0.0.1:PORT/{tenantId}`. */
  authorityUrl: string;
  /** The local CA (PEM) that issued the listener's certificate: what a client must trust. */
  caCertificatePem: string;
  apps: AppRegistry;
  /** Holds every token request `ms` real milliseconds before processing it (0 turns it off). */
  setTokenLatency(ms: number): void;
  stop(): Promise<void>;
}

function listenTls(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      const address = server.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve(`https://${host.includes(':') ? `[${host}]` : host}:${bound}`);
    });
  });
}

/**
 * Starts the simulated Entra: OpenID configuration, keys and token endpoint over TLS with a
 * certificate from a CA generated for this run (certificate checks stay on everywhere); the
 * authorize endpoint, which only a browser visits, on the simulator's plain-HTTP loopback listener.
 */
export async function startEntraServer(options: EntraServerOptions): Promise<RunningEntra> {
  const logger = options.logger.child({ module: 'simulated-entra' });
  const tls = await createLocalTlsMaterial();
  const server = restify.createServer({
    name: 'simulated-entra',
    certificate: tls.serverCertificatePem,
    key: tls.serverPrivateKeyPem,
    handleUncaughtExceptions: false,
  });
  let url = '';
  const apps = createAppRegistry(options.apps);
  let tokenLatencyMs = 0;
  const ctx = {
    authority: options.authority,
    apps,
    codes: createAuthorizationCodes(options.now),
    directory: options.directory,
    tenantId: options.tenantId,
    now: options.now,
    url: () => url,
    browserUrl: options.browserUrl,
    tokenLatencyMs: () => tokenLatencyMs,
    logger,
  };
  registerOpenIdRoutes(server, ctx);
  registerAuthorizeEndpoint(options.browserServer, ctx);
  registerTokenEndpoint(server, ctx);
  url = await listenTls(server, options.host, options.port);
  return {
    url,
    authorityUrl: `${url}/${options.tenantId}`,
    caCertificatePem: tls.caCertificatePem,
    apps,
    setTokenLatency(ms) {
      tokenLatencyMs = ms;
    },
    async stop() {
      server.server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
