import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `url` until it answers 2xx, the child ends, or `timeoutMs` passes. */
export async function waitForHttp(
  url: string,
  options: { timeoutMs: number; what: string; gaveUp?: Promise<string> },
): Promise<void> {
  let ended: string | undefined;
  void options.gaveUp?.then((code) => {
    ended = code;
  });
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (ended !== undefined) throw new Error(`${options.what} stopped (exit ${ended})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`${options.what} did not answer on ${url} within ${options.timeoutMs / 1000} s`);
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `port`, or a free one when it is 0. */
export async function concretePort(port: number): Promise<number> {
  return port === 0 ? freePort() : port;
}
