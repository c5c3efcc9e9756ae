import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** POSTs one body (over a shared keep-alive agent by default) and resolves with the status code and the latency in milliseconds. */
export function postBody(
  url: string,
  body: Buffer,
  through: http.Agent = agent,
): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: through,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        response.resume();
        response.once('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

/** Sends every body with at most `concurrency` requests in flight; resolves with the statuses. */
export async function sendAll(
  url: string,
  bodies: Buffer[],
  concurrency: number,
): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next] as Buffer;
      next += 1;
      statuses.push((await postBody(url, body)).status);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return statuses;
}

/** Sends bodies at a fixed rate (bodies per second) and resolves with every request's latency. */
export async function sendAtRate(
  url: string,
  bodies: Buffer[],
  perSecond: number,
): Promise<number[]> {
  const latencies: number[] = [];
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (const [i, body] of bodies.entries()) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(postBody(url, body).then((result) => void latencies.push(result.ms)));
  }
  await Promise.all(inFlight);
  return latencies;
}

/** The q-quantile (0..1) of `values`. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Closes the keep-alive sockets so the process can exit. */
export function closeLoadAgent(): void {
  agent.destroy();
}
