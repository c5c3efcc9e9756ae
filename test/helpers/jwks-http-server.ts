import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server publishing a JSON Web Key Set, counting the requests it serves. */
export interface JwksHttpServer {
  readonly url: string;
  readonly requestCount: number;
  /** Answers every later request with this status and no key set (`undefined`: serve again). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

/** Starts a JWKS server on 127.0.0.1, port 0, serving whatever `jwks()` returns at request time. */
export async function startJwksHttpServer(jwks: () => unknown): Promise<JwksHttpServer> {
  let requestCount = 0;
  let failureStatus: number | undefined;
  const server: Server = createServer((_request, response) => {
    requestCount += 1;
    if (failureStatus !== undefined) {
      response.statusCode = failureStatus;
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    get requestCount() {
      return requestCount;
    },
    failWith(status) {
      failureStatus = status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
