import type { ChangeNotificationItem } from '../../src/notifications/receiver/notification-envelope';
import { genuineItem, type GenuineSource } from './forgery-genuine';

/** Turns a genuine item into a forged one. */
export type ItemMutation = (item: ChangeNotificationItem, source: GenuineSource) => unknown;
type TextMutation = (text: string) => string;
/** A part of `encryptedContent` a mutation tampers with. */
export type Field = 'data' | 'dataKey' | 'dataSignature';

/** Values of a wrong JSON type to put where a string belongs. */
export const WRONG_TYPES: readonly unknown[] = [42, null, true, {}, [], ['x'], { $ne: '' }];

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

/** Tamperings with one `encryptedContent` field: bytes, base64 text, type, substitution, removal. */
export function fieldMutations(field: Field, sample: ChangeNotificationItem): ItemMutation[] {
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

/** Two fields of `encryptedContent` taken from another genuine item. */
export function swapPairs(): ItemMutation[] {
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

/** Unknown, missing or mistyped encryption certificate id and thumbprint. */
export function certificateMutations(): ItemMutation[] {
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
