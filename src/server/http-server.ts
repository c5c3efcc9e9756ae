import restify, { type Server } from 'restify';
import type { Logger } from '../logging/logger';

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

/** Starts listening and resolves with the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
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
