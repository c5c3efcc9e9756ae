import restify, { type Request, type Response, type Server } from 'restify';
import type { Logger } from '../../src/logging/logger';
import { registerAdminRoutes } from './admin/admin-routes';
import { createSimulatorControl, type SimulatorControl } from './admin/simulator-control';
import { createDirectory } from './directory/directory';
import { defaultOrganisation, SIMULATED_TENANT_ID } from './directory/default-organisation';
import { loadOrganisationSeed } from './directory/seed-file';
import { badRequest, type GraphError, notFound, sendGraphError } from './http/graph-error';
import type { GraphRouteDeps } from './graph/graph-route-deps';
import { registerPresenceRoutes } from './graph/presence-routes';
import { queryOptionGuard } from './graph/query-options';
import { registerSubscriptionRoutes } from './graph/subscription-routes';
import { registerUserRoutes } from './graph/users-routes';
import { registerIdentityRoutes, type AccessTokenAuthority, type SimDirectory } from './identity';
import { choosePresenceEngine } from './presence/engine-choice';
import { createSimClock } from './sim-clock';
import { createSimulatorParts, type SimulatorParts, type SimulatorTuning } from './simulator-parts';
import type { ValidationTokenIssuer } from './validation-token-issuer';
import type { AppRegistration } from './entra/app-registrations';
import type { RunningEntra } from './entra/entra-server';
import { startSimulatorEntra } from './entra/simulator-entra';

/** How to start a simulator. */
export interface SimulatorOptions extends SimulatorTuning {
  port?: number;
  host?: string;
  /** A JSON organisation that replaces the demo one. */
  seedFile?: string;
  /** A scenario file (JSON or YAML) that drives presence instead of the schedule. */
  scenarioFile?: string;
  clockSpeed?: number;
  /** Change someone's presence every few seconds. */
  demo?: boolean;
  /** `schedule` (default: realistic working days) or `manual` (only the admin API changes presence). */
  presenceEngine?: 'schedule' | 'manual';
  /** Real ms between heartbeats (expiry, retries, reauthorization, engine). */
  heartbeatMs?: number;
  /** Port of the simulated Entra's TLS listener (default 0: a free one). */
  entraPort?: number;
  /** App registrations the simulated Entra starts with (more through `PUT /_sim/identity/apps/:appId`). */
  entraApps?: readonly AppRegistration[];
  logger: Logger;
}

/** A running simulator: its URLs, the control surface, and `stop()`. */
export interface RunningSimulator extends SimulatorControl {
  url: string;
  graphBaseUrl: string;
  jwksUrl: string;
  authority: AccessTokenAuthority;
  validationTokenIssuer: ValidationTokenIssuer;
  /** The simulated Entra for MSAL over TLS: `authorityUrl`, `caCertificatePem`, app registrations. */
  entra: RunningEntra;
  /** Runs one heartbeat now (expiry sweep, due retries and reauthorizations, engine step). */
  tick(): void;
  stop(): Promise<void>;
}

const GRAPH_PREFIX = '/v1.0';
const JWKS_PATH = '/common/discovery/v2.0/keys';

/** Graph answers an unknown segment under its version prefix with 400 BadRequest; other paths 404. */
function unknownPath(path: string): GraphError {
  if (!path.startsWith(`${GRAPH_PREFIX}/`)) return notFound(`No route for '${path}'.`, 'NotFound');
  const segment =
    path
      .slice(GRAPH_PREFIX.length + 1)
      .split('/')
      .filter(Boolean)
      .pop() ?? '';
  return badRequest(`Resource not found for the segment '${segment}'.`);
}

function createServer(logger: Logger): Server {
  const server = restify.createServer({
    name: 'tenant-simulator',
    handleUncaughtExceptions: false,
  });
  server.pre(restify.plugins.pre.context());
  server.on('NotFound', (req: Request, res: Response, _err: unknown, callback: () => void) => {
    sendGraphError(res, unknownPath(req.path()));
    callback();
  });
  server.on('restifyError', (req: Request, _res: Response, err: Error, callback: () => void) => {
    logger.debug({ path: req.path(), err: err.name }, 'simulator request failed');
    callback();
  });
  return server;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      const address = server.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
    });
  });
}

async function buildParts(options: SimulatorOptions): Promise<SimulatorParts> {
  const seed = options.seedFile ? await loadOrganisationSeed(options.seedFile) : undefined;
  const directory = createDirectory(seed?.users ?? defaultOrganisation());
  const clock = createSimClock({ speed: options.clockSpeed ?? 1 });
  const tenantId = seed?.tenantId ?? SIMULATED_TENANT_ID;
  return createSimulatorParts({ tenantId, clock, directory, logger: options.logger }, options);
}

function registerRoutes(
  server: Server,
  parts: SimulatorParts,
  urls: () => { url: string },
  logger: Logger,
): void {
  server.use(parts.faults.middleware(GRAPH_PREFIX));
  server.use(queryOptionGuard(GRAPH_PREFIX));
  const deps: GraphRouteDeps = {
    server,
    prefix: GRAPH_PREFIX,
    graphBaseUrl: () => `${urls().url}${GRAPH_PREFIX}`,
    verifier: parts.authority,
    directory: parts.directory,
    presence: parts.presence,
    logger,
  };
  registerUserRoutes(deps);
  registerPresenceRoutes(deps);
  registerSubscriptionRoutes(deps, parts.service);
  server.get(JWKS_PATH, (_req: Request, res: Response, next: () => void) => {
    res.send(200, parts.issuer.jwks());
    next();
  });
  const directory = simDirectoryOf(parts);
  registerIdentityRoutes(server, {
    authority: parts.authority,
    directory,
    now: () => parts.clock.now(),
    tenantId: parts.tenantId,
    publicUrl: () => urls().url,
    logger,
  });
}

function simDirectoryOf(parts: SimulatorParts): SimDirectory {
  return {
    listUsers: () => parts.directory.listUsers(),
    findUser: (id: string) =>
      parts.directory.findUser(id) ?? parts.directory.findByPlaygroundId(id),
  };
}

function startEntra(
  server: Server,
  options: SimulatorOptions,
  parts: SimulatorParts,
  browserUrl: () => string,
) {
  return startSimulatorEntra(server, {
    authority: parts.authority,
    directory: simDirectoryOf(parts),
    tenantId: parts.tenantId,
    now: () => parts.clock.now(),
    host: options.host ?? '127.0.0.1',
    port: options.entraPort ?? 0,
    ...(options.entraApps ? { apps: options.entraApps } : {}),
    browserUrl,
    logger: options.logger,
  });
}

/** Starts the tenant simulator on loopback (port 0 picks a free port). */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const logger = options.logger.child({ module: 'tenant-simulator' });
  const parts = await buildParts(options);
  const server = createServer(logger);
  let url = '';
  const control = createSimulatorControl(parts);
  registerRoutes(server, parts, () => ({ url }), logger);
  const engine = await choosePresenceEngine(options, parts);
  const tick = (): void => {
    parts.service.sweepExpired();
    parts.lifecycle.sendDueReauthorizations();
    parts.queue.sendDueRetries();
    engine?.step(parts.clock.now());
  };
  const entra = await startEntra(server, options, parts, () => url);
  const info = () => ({
    url,
    graphBaseUrl: `${url}${GRAPH_PREFIX}`,
    jwksUrl: `${url}${JWKS_PATH}`,
    tenantId: parts.tenantId,
    entraAuthority: entra.authorityUrl,
  });
  registerAdminRoutes(server, control, info, logger);
  url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1').catch(
    async (error: unknown) => {
      await entra.stop();
      throw error;
    },
  );
  tick();
  const heartbeat = setInterval(tick, options.heartbeatMs ?? 100);
  heartbeat.unref();
  const stopAdvanceListener = parts.clock.onAdvance(tick);
  return {
    ...control,
    ...info(),
    authority: parts.authority,
    validationTokenIssuer: parts.issuer,
    entra,
    tick,
    async stop() {
      clearInterval(heartbeat);
      stopAdvanceListener();
      parts.disconnect();
      parts.queue.stop();
      server.server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await entra.stop();
    },
  };
}
