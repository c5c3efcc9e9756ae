import {
  bodyOf,
  forged,
  genuineItem,
  ITEM_SHAPES,
  without,
  type Forgery,
  type GenuineSource,
} from './forgery-genuine';
import {
  certificateMutations,
  fieldMutations,
  swapPairs,
  WRONG_TYPES,
  type Field,
  type ItemMutation,
} from './forgery-encrypted-content';

export type { ItemMutation } from './forgery-encrypted-content';

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
