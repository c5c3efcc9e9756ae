import { randomUUID } from 'node:crypto';
import { seededRandom } from '../../tools/simulator/seeded-random';
import { bodyOf, forged, genuineItem, type Forgery, type GenuineSource } from './forgery-genuine';

const MIB = 1024 * 1024;

const NOT_JSON: readonly string[] = [
  '',
  ' ',
  'null',
  'true',
  '0',
  '"value"',
  '[]',
  '{}',
  '{',
  '}{',
  '[{"value":[]}]',
  'value=1&validationTokens=2',
  '<xml><value/></xml>',
  '{"value":[1,]}',
  '{"value":[NaN]}',
  "{'value':[]}",
  '{"value":[]} // comment',
  '\u0000\u0001\u0002',
  '{"value":"\\ud800"}',
];

const WRONG_TOP_LEVEL: readonly unknown[] = [
  { value: {} },
  { value: 'x' },
  { value: 1 },
  { value: null },
  { value: true },
  { value: [] },
  { value: [null] },
  { value: [1] },
  { value: ['x'] },
  { value: [[]] },
  { value: [true] },
  { Value: [{ subscriptionId: 'x' }] },
  { items: [{ subscriptionId: 'x' }] },
];

function nested(depth: number, leaf: string): string {
  return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

function nonJson(source: GenuineSource, token: string): Forgery[] {
  const random = seededRandom(8);
  const genuineText = bodyOf([genuineItem(source, 0)], [token]).toString('utf8');
  const binary = Array.from({ length: 20 }, (_, n) =>
    Buffer.from(Array.from({ length: 16 + n * 97 }, () => Math.floor(random() * 256))),
  );
  const withWrongState = bodyOf([{ ...genuineItem(source, 1), clientState: 'wrong' }], [token]);
  return [
    ...NOT_JSON.map((text) => forged('non-JSON', text)),
    ...binary.map((bytes) => forged('non-JSON', bytes)),
    forged('non-JSON', Buffer.from(`\ufeff${withWrongState.toString('utf8')}`)),
    forged('non-JSON', Buffer.from(withWrongState.toString('utf8'), 'utf16le')),
    ...[1, 2, 10, 50, 100, 500, 1000, genuineText.length - 2, genuineText.length - 1].map((cut) =>
      forged('truncated body', genuineText.slice(0, cut)),
    ),
  ];
}

function wrongTypes(source: GenuineSource, token: string): Forgery[] {
  const item = genuineItem(source, 2);
  const tokenTypes: unknown[] = [token, 1, {}, [1], [null], [[token]], [{ token }], true];
  return [
    ...WRONG_TOP_LEVEL.map((document) => forged('wrong types', JSON.stringify(document))),
    ...tokenTypes.map((tokens) =>
      forged(
        'wrong types',
        JSON.stringify({ value: [{ ...item, clientState: 'x' }], validationTokens: tokens }),
      ),
    ),
    ...[42, null, [item.subscriptionId], {}, ''].map((id) =>
      forged('wrong types', bodyOf([{ ...genuineItem(source, 3), subscriptionId: id }], [token])),
    ),
  ];
}

function deepNesting(source: GenuineSource, token: string): Forgery[] {
  const depths = [1_000, 10_000, 100_000, 400_000];
  const itemWith = (field: string, depth: number): string => {
    const item = JSON.stringify({ ...genuineItem(source, 0), [field]: 0 });
    return item.replace(`"${field}":0`, `"${field}":${nested(depth, '0')}`);
  };
  return depths.flatMap((depth) => [
    forged('deep nesting', nested(depth, '{}')),
    forged('deep nesting', `{"value":${nested(depth, '{"subscriptionId":"x"}')}}`),
    forged(
      'deep nesting',
      `{"value":[${itemWith('clientState', depth)}],"validationTokens":["${token}"]}`,
    ),
    forged(
      'deep nesting',
      `{"value":[${itemWith('encryptedContent', depth)}],"validationTokens":["${token}"]}`,
    ),
    forged(
      'deep nesting',
      `{"value":[{"subscriptionId":"x"}],"validationTokens":${nested(depth, `"${token}"`)}}`,
    ),
  ]);
}

function underLimit(category: string, body: Buffer, maxBytes: number): Forgery {
  if (body.length > maxBytes) throw new RangeError(`${category} body is ${body.length} bytes`);
  return forged(category, body);
}

function hugeArrays(source: GenuineSource, token: string, maxBytes: number): Forgery[] {
  const wrongState = (i: number): unknown => ({
    ...genuineItem(source, i),
    clientState: `wrong-${i}`,
  });
  const fitting = Math.floor((maxBytes * 0.9) / bodyOf([wrongState(0)]).length);
  const small = (i: number): unknown => ({ subscriptionId: randomUUID(), clientState: `s${i}` });
  return [
    underLimit(
      'huge arrays',
      bodyOf(
        Array.from({ length: fitting }, (_, i) => wrongState(i)),
        [token],
      ),
      maxBytes,
    ),
    underLimit(
      'huge arrays',
      bodyOf(
        Array.from({ length: 1000 }, (_, i) => small(i)),
        [token],
      ),
      maxBytes,
    ),
    underLimit(
      'huge arrays',
      bodyOf(
        Array.from({ length: 1001 }, (_, i) => small(i)),
        [token],
      ),
      maxBytes,
    ),
    underLimit('huge arrays', Buffer.from(`{"value":[${'0,'.repeat(200_000)}0]}`), maxBytes),
    underLimit(
      'huge arrays',
      bodyOf(
        [genuineItem(source, 1)],
        Array.from({ length: 10_000 }, (_, i) => `t.${i}.x`),
      ),
      maxBytes,
    ),
    underLimit(
      'huge arrays',
      bodyOf(
        [genuineItem(source, 2)],
        [token, ...Array.from({ length: 500 }, () => `${token.slice(0, -2)}AA`)],
      ),
      maxBytes,
    ),
    underLimit(
      'huge arrays',
      bodyOf(
        [genuineItem(source, 3)],
        Array.from({ length: 800 }, () => token.replace(/\.[^.]*$/, '.')),
      ),
      maxBytes,
    ),
    underLimit(
      'huge arrays',
      bodyOf([{ ...genuineItem(source, 0), clientState: 'z'.repeat(maxBytes - 4096) }], [token]),
      maxBytes,
    ),
  ];
}

function oversize(maxBytes: number): Forgery[] {
  const sizes = [maxBytes + 1, maxBytes + 4096, 2 * MIB, 5 * MIB];
  return sizes.map((size) => ({
    category: 'oversize (> 1 MiB)',
    body: Buffer.from(`{"value":[{"subscriptionId":"${'a'.repeat(size - 31)}"}]}`),
    expectedStatus: 413,
  }));
}

/** Bodies that are not, or barely, change notifications: malformed, deep, huge, oversize. */
export function structureForgeries(
  source: GenuineSource,
  token: string,
  maxBytes: number,
): Forgery[] {
  return [
    ...nonJson(source, token),
    ...wrongTypes(source, token),
    ...deepNesting(source, token),
    ...hugeArrays(source, token, maxBytes),
    ...oversize(maxBytes),
  ];
}
