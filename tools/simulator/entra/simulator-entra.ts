import type { Server } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import type { AccessTokenAuthority, SimDirectory } from '../identity';
import type { AppRegistration } from './app-registrations';
import { registerEntraAdminRoutes } from './entra-admin-routes';
import { startEntraServer, type RunningEntra } from './entra-server';

/** What a simulator hands its Entra: the authority, directory and clock it shares with Graph. */
export interface SimulatorEntraOptions {
  authority: AccessTokenAuthority;
  directory: SimDirectory;
  tenantId: string;
  now: () => number;
  host: string;
  port: number;
  apps?: readonly AppRegistration[];
  /** The simulator's plain-HTTP base URL once it listens (the authorize endpoint's home). */
  browserUrl: () => string;
  logger: Logger;
}

/**
 * Starts the simulated Entra on its TLS listener and mounts its authorize endpoint and admin routes
 * on the simulator's plain-HTTP `adminServer`.
 */
export async function startSimulatorEntra(
  adminServer: Server,
  options: SimulatorEntraOptions,
): Promise<RunningEntra> {
  const entra = await startEntraServer({ ...options, browserServer: adminServer });
  registerEntraAdminRoutes(adminServer, {
    apps: entra.apps,
    authority: options.authority,
    directory: options.directory,
    tenantId: options.tenantId,
    caCertificatePem: entra.caCertificatePem,
    logger: options.logger,
  });
  return entra;
}
