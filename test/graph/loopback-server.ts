import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the loopback server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** A plain HTTP server on 127.0.0.1, port 0, that records requests and answers with `handle`. */
export interface LoopbackServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Starts the server; a `handle` that never answers leaves the request hanging until close. */
export async function startLoopbackServer(
  handle: (req: IncomingMessage, res: ServerResponse, origin: string) => void,
): Promise<LoopbackServer> {
  const server: Server = createServer();
  const loopback: LoopbackServer = {
    url: '',
    seen: [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    loopback.seen.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      authorization: req.headers.authorization,
    });
    req.resume();
    req.on('end', () => handle(req, res, loopback.url));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  loopback.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return loopback;
}

/** Answers JSON without chaining writeHead (restify patches ServerResponse process-wide). */
export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}
