import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChangeNotificationBatch } from '../../src/notifications/receiver/notification-envelope';

/** How the test webhook answers Graph's validation request. */
export type HandshakeMode = 'echo' | 'wrong-token' | 'status-500' | 'no-answer' | 'json';

/** A loopback webhook that records what the simulator sends it. */
export interface SimWebhook {
  url: string;
  handshakes: string[];
  batches: ChangeNotificationBatch[];
  handshakeMode: HandshakeMode;
  /** Status for the next notification POSTs (default 202). */
  notificationStatus: () => number;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Answers without chaining writeHead (restify patches ServerResponse so it returns nothing). */
function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.end(body);
}

function answerHandshake(hook: SimWebhook, token: string, res: ServerResponse): void {
  hook.handshakes.push(token);
  if (hook.handshakeMode === 'no-answer') return;
  if (hook.handshakeMode === 'status-500') return answer(res, 500, 'text/plain', '');
  if (hook.handshakeMode === 'json')
    return answer(res, 200, 'application/json', JSON.stringify(token));
  const body = hook.handshakeMode === 'wrong-token' ? `${token}x` : token;
  answer(res, 200, 'text/plain; charset=utf-8', body);
}

/** Starts a webhook on 127.0.0.1, port 0, echoing validation tokens and answering 202. */
export async function startSimWebhook(path = '/api/notifications'): Promise<SimWebhook> {
  const server: Server = createServer();
  const hook: SimWebhook = {
    url: '',
    handshakes: [],
    batches: [],
    handshakeMode: 'echo',
    notificationStatus: () => 202,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('validationToken');
    void readBody(req).then((text) => {
      if (token !== null) return answerHandshake(hook, token, res);
      hook.batches.push(JSON.parse(text) as ChangeNotificationBatch);
      answer(res, hook.notificationStatus(), 'text/plain', '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return hook;
}

/** Polls `condition` every 10 ms until it holds (the mocha timeout bounds the wait). */
export async function eventually<T>(condition: () => T | undefined | false): Promise<T> {
  for (;;) {
    const value = condition();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
