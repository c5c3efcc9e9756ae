import http from 'node:http';
import { postBody } from '../../tools/bench/http-load';

/** The answer to one POST: its status, or 0 and the error when the request failed. */
export interface PostOutcome {
  readonly status: number;
  readonly error?: string;
}

/** POSTs every body with at most `concurrency` in flight; outcomes are in the bodies' order. */
export async function postInOrder(
  url: string,
  bodies: readonly Buffer[],
  concurrency: number,
): Promise<PostOutcome[]> {
  const outcomes: PostOutcome[] = new Array<PostOutcome>(bodies.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < bodies.length) {
      const index = next;
      next += 1;
      outcomes[index] = await postBody(url, bodies[index] as Buffer).then(
        (result) => ({ status: result.status }),
        (error: Error) => ({ status: 0, error: error.message }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return outcomes;
}

/** POSTs a body with chunked transfer encoding (no Content-Length) and resolves with the status. */
export function postChunked(url: string, body: Buffer, chunkBytes = 64 * 1024): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.once('error', reject);
    for (let start = 0; start < body.length; start += chunkBytes) {
      request.write(body.subarray(start, start + chunkBytes));
    }
    request.end();
  });
}
