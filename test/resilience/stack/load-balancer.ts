import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A round-robin HTTP load balancer on loopback. */
export interface LoadBalancer {
  readonly url: string;
  /** Requests each backend answered, by backend URL. */
  readonly served: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/**
 * Forwards each request to the next backend in turn; a backend that refuses the connection is
 * skipped (as a health-checked balancer would), and 502 comes back only when none answers.
 */
export async function startLoadBalancer(backends: readonly string[]): Promise<LoadBalancer> {
  let next = 0;
  const served = new Map(backends.map((backend) => [backend, 0]));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const start = next;
      next = (next + 1) % backends.length;
      void forward(req, Buffer.concat(chunks), res, backends, start, served);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function forward(
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  backends: readonly string[],
  start: number,
  served: Map<string, number>,
): Promise<void> {
  for (let tried = 0; tried < backends.length; tried += 1) {
    const backend = backends[(start + tried) % backends.length] as string;
    const answered = await proxyTo(backend, req, body, res);
    if (answered) {
      served.set(backend, (served.get(backend) ?? 0) + 1);
      return;
    }
  }
  res.statusCode = 502;
  res.end();
}

function proxyTo(
  backend: string,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): Promise<boolean> {
  return new Promise((resolve) => {
    const target = new URL(req.url ?? '/', backend);
    const outgoing = request(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.statusCode = answer.statusCode ?? 502;
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined) res.setHeader(name, value);
        }
        answer.pipe(res);
        answer.on('end', () => resolve(true));
        answer.on('error', () => resolve(true));
      },
    );
    outgoing.on('error', () => resolve(res.headersSent));
    outgoing.end(body);
  });
}
