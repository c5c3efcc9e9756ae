import type { ChangeNotificationItem } from '../../src/notifications/notification-types';
import {
  bodyOf,
  forged,
  genuineItem,
  ITEM_SHAPES,
  without,
  type Forgery,
  type GenuineSource,
} from './forgery-genuine';

/** Turns a genuine item into a forged one. */
export type ItemMutation = (item: ChangeNotificationItem, source: GenuineSource) => unknown;
type TextMutation = (text: string) => string;
type Field = 'data' | 'dataKey' | 'dataSignature';

const WRONG_TYPES: readonly unknown[] = [42, null, true, {}, [], ['x'], { $ne: '' }];

function flipBit(bytes: Buffer, position: number, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = Math.max(0, Math.min(position, copy.length - 1));
  copy[at] = (copy[at] ?? 0) ^ (1 << bit);
  return copy;
}

function byteMutations(length: number): TextMutation[] {
  const positions = [
    ...new Set([
      0,
      1,
      15,
      16,
      31,
      32,
      length >> 1,
      length - 17,
      length - 16,
      length - 2,
      length - 1,
    ]),
  ].filter((p) => p >= 0 && p < length);
  const viaBytes =
    (change: (bytes: Buffer) => Buffer): TextMutation =>
    (text) =>
      change(Buffer.from(text, 'base64')).toString('base64');
  return [
    ...positions.flatMap((p) => [0, 7].map((bit) => viaBytes((b) => flipBit(b, p, bit)))),
    ...[1, 16, length >> 1, length - 1].map((n) => viaBytes((b) => b.subarray(0, b.length - n))),
    viaBytes((b) => Buffer.concat([b, Buffer.alloc(1)])),
    viaBytes((b) => Buffer.concat([b, Buffer.alloc(16, 7)])),
    viaBytes((b) => Buffer.concat([Buffer.alloc(16), b])),
    viaBytes((b) => Buffer.alloc(b.length)),
  ];
}

const TEXT_MUTATIONS: readonly TextMutation[] = [
  (t) => t.slice(0, -1),
  (t) => t.slice(0, -4),
  (t) => t.slice(0, t.length >> 1),
  (t) => t.replace(/=+$/, ''),
  (t) => `${t}==`,
  (t) => t.replace(/\+/g, '-').replace(/\//g, '_'),
  (t) => `${t.slice(0, 8)}\n${t.slice(8)}`,
  (t) => ` ${t}`,
  (t) => t.toLowerCase(),
  (t) => `!!${t.slice(2)}`,
  (t) => `data:;base64,${t}`,
  () => '',
];

/** A mutation that always changes its input (a no-op result gets a stray character appended). */
function changed(mutation: TextMutation): TextMutation {
  return (text) => {
    const result = mutation(text);
    return result === text ? `${text}-` : result;
  };
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function fieldMutations(field: Field, sample: ChangeNotificationItem): ItemMutation[] {
  const text = sample.encryptedContent?.[field] ?? '';
  const length = Buffer.from(text, 'base64').length;
  const onField =
    (change: (value: string) => unknown): ItemMutation =>
    (item) => ({
      ...item,
      encryptedContent: {
        ...item.encryptedContent,
        [field]: change(textOf(item.encryptedContent?.[field])),
      },
    });
  return [
    ...[...byteMutations(length), ...TEXT_MUTATIONS].map((m) => onField(changed(m))),
    ...WRONG_TYPES.map((value) => onField(() => value)),
    (item, source) => ({
      ...item,
      encryptedContent: {
        ...item.encryptedContent,
        [field]: genuineItem(source, 9).encryptedContent?.[field],
      },
    }),
    (item) => {
      const content: Record<string, unknown> = { ...item.encryptedContent };
      delete content[field];
      return { ...item, encryptedContent: content };
    },
  ];
}

function swapPairs(): ItemMutation[] {
  const pairs: readonly (readonly Field[])[] = [
    ['data', 'dataSignature'],
    ['dataKey', 'dataSignature'],
    ['dataKey', 'data'],
  ];
  return pairs.map((fields) => (item, source) => {
    const other = genuineItem(source, 11).encryptedContent ?? {};
    const content: Record<string, unknown> = { ...item.encryptedContent };
    for (const field of fields) content[field] = (other as Record<string, unknown>)[field];
    return { ...item, encryptedContent: content };
  });
}

function certificateMutations(): ItemMutation[] {
  const ids = [
    'pw-unknown',
    '',
    'presence-watch-test-cert',
    'A'.repeat(200),
    'pw-'.padEnd(43, '0'),
  ];
  const thumbprints = ['0'.repeat(40), 'ZZ', '', 'not-hex'];
  const onContent =
    (change: (content: Record<string, unknown>) => Record<string, unknown>): ItemMutation =>
    (item) => ({ ...item, encryptedContent: change({ ...item.encryptedContent }) });
  return [
    ...ids.map((id) =>
      onContent((c) => ({
        ...c,
        encryptionCertificateId: id,
        encryptionCertificateThumbprint: '0'.repeat(40),
      })),
    ),
    ...ids.map((id) =>
      onContent(({ encryptionCertificateThumbprint: _t, ...c }) => ({
        ...c,
        encryptionCertificateId: id,
      })),
    ),
    ...thumbprints.map((t) =>
      onContent(({ encryptionCertificateId: _id, ...c }) => ({
        ...c,
        encryptionCertificateThumbprint: t,
      })),
    ),
    ...WRONG_TYPES.map((value) =>
      onContent((c) => ({
        ...c,
        encryptionCertificateId: value,
        encryptionCertificateThumbprint: value,
      })),
    ),
    onContent(({ encryptionCertificateId: _id, encryptionCertificateThumbprint: _t, ...c }) => c),
  ];
}

function clientStateMutations(sample: string): ItemMutation[] {
  const mid = sample.length >> 1;
  const states: unknown[] = [
    'wrong-client-state',
    '',
    `${sample}x`,
    `x${sample}`,
    sample.slice(0, -1),
    sample.slice(1),
    sample.toUpperCase(),
    `${sample} `,
    `${sample}\u0000`,
    `${sample}\u200b`,
    sample.normalize('NFKD') + '\u0301',
    `${sample.slice(0, mid)}${sample[mid] === 'a' ? 'b' : 'a'}${sample.slice(mid + 1)}`,
    'x'.repeat(256),
    'y'.repeat(100_000),
    ...WRONG_TYPES,
    [sample],
    { value: sample },
  ];
  const withState =
    (state: unknown): ItemMutation =>
    (item) => ({ ...item, clientState: state });
  const ids: unknown[] = ['9c5a2e1b-0000-4000-8000-000000000000', '', 42, null, ['x'], {}];
  return [
    ...states.map(withState),
    (item) => without(item, 'clientState'),
    ...ids.map((id): ItemMutation => (item) => ({ ...item, subscriptionId: id })),
    (item) => ({ ...item, subscriptionId: item.subscriptionId.toUpperCase() }),
  ];
}

function applyToShapes(
  source: GenuineSource,
  token: string,
  category: string,
  mutations: readonly ItemMutation[],
): Forgery[] {
  return mutations.flatMap((mutate) =>
    ITEM_SHAPES.map((shape) =>
      forged(
        category,
        bodyOf(
          shape.map((i) => mutate(genuineItem(source, i), source)),
          [token],
        ),
      ),
    ),
  );
}

function downgradeMutations(): ItemMutation[] {
  const plaintext =
    (content: unknown): ItemMutation =>
    (item, source) => {
      const rest = without(item, 'encryptedContent');
      const claimed = source.claimedPresences[0];
      return {
        ...rest,
        ...(content === undefined ? {} : { encryptedContent: content }),
        resourceData: { ...item.resourceData, ...claimed },
      };
    };
  return [plaintext(undefined), plaintext(null), plaintext(false), plaintext('')];
}

/** Every single-part item mutation, for random combinations. */
export function itemMutationPool(source: GenuineSource): ItemMutation[] {
  const sample = genuineItem(source, 0);
  return [
    ...(['data', 'dataKey', 'dataSignature'] as const).flatMap((field) =>
      fieldMutations(field, sample),
    ),
    ...swapPairs(),
    ...certificateMutations(),
    ...clientStateMutations(sample.clientState ?? ''),
  ];
}

/** Items stripped of `encryptedContent` that carry presence in plain `resourceData` instead. */
export function downgradeForgeries(source: GenuineSource, token: string): Forgery[] {
  const category = 'downgrade to plaintext resourceData';
  return [
    ...applyToShapes(source, token, category, downgradeMutations()),
    ...downgradeMutations().flatMap((mutate) =>
      ITEM_SHAPES.map((shape) =>
        forged(category, bodyOf(shape.map((i) => mutate(genuineItem(source, i), source)))),
      ),
    ),
  ];
}

/** Genuine tokens, items with one part of `encryptedContent` or `clientState` tampered with. */
export function contentForgeries(source: GenuineSource, token: string): Forgery[] {
  const sample = genuineItem(source, 0);
  const fields: readonly Field[] = ['data', 'dataKey', 'dataSignature'];
  return [
    ...fields.flatMap((field) =>
      applyToShapes(source, token, `tampered ${field}`, fieldMutations(field, sample)),
    ),
    ...applyToShapes(source, token, 'tampered data + key pairs', swapPairs()),
    ...applyToShapes(source, token, 'unknown encryption certificate', certificateMutations()),
    ...applyToShapes(
      source,
      token,
      'wrong clientState / subscription',
      clientStateMutations(sample.clientState ?? ''),
    ),
    ...applyToShapes(
      source,
      token,
      'encryptedContent of a wrong type',
      WRONG_TYPES.map((value) => (item) => ({ ...item, encryptedContent: value })),
    ),
  ];
}
