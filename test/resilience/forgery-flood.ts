import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { createValidationTokenIssuer } from '../../tools/simulator/validation-token-issuer';
import { bodyOf, genuineItem, type GenuineSource } from './forgery-genuine';

/** Items per forged body in the flood: Graph batches at most 1,000; 500 keeps bodies under 1 MiB. */
export const FLOOD_ITEMS_PER_BODY = 500;

/** The three flood shapes, 10,000 items each unless told otherwise. */
export type FloodShape = 'unknown subscription' | 'wrong clientState' | 'unknown kid';

/** Forged bodies of one shape: `items` items in bodies of FLOOD_ITEMS_PER_BODY. */
export async function floodBodies(
  source: GenuineSource,
  shape: FloodShape,
  items: number,
): Promise<Buffer[]> {
  const base = genuineItem(source, 0) as unknown as Record<string, unknown>;
  const tokens = shape === 'unknown kid' ? [await unknownKidToken(source)] : undefined;
  const bodies: Buffer[] = [];
  for (let start = 0; start < items; start += FLOOD_ITEMS_PER_BODY) {
    const count = Math.min(FLOOD_ITEMS_PER_BODY, items - start);
    const value = Array.from({ length: count }, (_, i) => forgedItem(base, shape, start + i));
    bodies.push(bodyOf(value, tokens));
  }
  return bodies;
}

function forgedItem(
  base: Record<string, unknown>,
  shape: FloodShape,
  index: number,
): Record<string, unknown> {
  if (shape === 'unknown subscription') {
    return { ...base, subscriptionId: randomUUID(), clientState: randomUUID() };
  }
  if (shape === 'wrong clientState') return { ...base, clientState: `guess-${index}` };
  return { ...base, forgedIndex: index };
}

/** A token shaped like Graph's for the right tenant and audience, signed by a never-published key. */
async function unknownKidToken(source: GenuineSource): Promise<string> {
  const issuer = await createValidationTokenIssuer({ keyId: 'never-published' });
  return issuer.issue({
    tenantId: source.subscription.tenantId,
    audience: source.appId,
    now: new Date(source.now()),
  });
}

/** POSTs each body in turn from `localAddress` (another loopback address plays the attacker). */
export async function postAllFrom(
  url: string,
  bodies: readonly Buffer[],
  localAddress: string,
): Promise<number[]> {
  const statuses: number[] = [];
  for (const body of bodies) statuses.push(await postFrom(url, body, localAddress));
  return statuses;
}

function postFrom(url: string, body: Buffer, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}
