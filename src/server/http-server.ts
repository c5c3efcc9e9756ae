import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { isLoopbackHost } from './loopback-address';

/** Creates the restify server with conservative timeouts and no default body parsing. */
export function createHttpServer(logger: Logger): Server {
  const server = restify.createServer({ name: 'presence-watch', handleUncaughtExceptions: false });
  server.server.headersTimeout = 10_000;
  server.server.requestTimeout = 15_000;
  server.server.keepAliveTimeout = 5_000;
  const log = logger.child({ module: 'http' });
  server.on(
    'restifyError',
    (req: restify.Request, _res: restify.Response, err: Error, next: () => void) => {
      log.debug({ method: req.method, path: req.path(), err: err.name }, 'request failed');
      next();
    },
  );
  return server;
}

/** How a server may listen. */
export interface ListenOptions {
  /** Refuse anything but a loopback address (Bot Framework authentication is off). */
  loopbackOnly?: boolean;
}

/**
 * Starts listening and resolves with the bound port; with `loopbackOnly`, a host that is not
 * loopback fails with LISTEN_ADDRESS_NOT_LOOPBACK before anything is bound.
 */
export async function listen(
  server: Server,
  port: number,
  host: string,
  options: ListenOptions = {},
): Promise<number> {
  if (options.loopbackOnly && !isLoopbackHost(host)) {
    throw new AppError('LISTEN_ADDRESS_NOT_LOOPBACK', `HOST is ${host || 'every address'}`);
  }
  const address = await bind(server, port, host);
  if (options.loopbackOnly && !isLoopbackHost(address.address)) {
    await closeServer(server);
    throw new AppError('LISTEN_ADDRESS_NOT_LOOPBACK', `${host} resolved to ${address.address}`);
  }
  return address.port;
}

function bind(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      const address = server.server.address();
      resolve(
        typeof address === 'object' && address ? address : { address: host, family: '', port },
      );
    });
  });
}

/** Stops accepting connections and waits for open ones to finish. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.server.closeIdleConnections?.();
    server.close(() => resolve());
  });
}
