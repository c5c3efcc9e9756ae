import { pick, seededRandom, type RandomSource } from '../../tools/simulator/seeded-random';
import { itemMutationPool, type ItemMutation } from './forgery-content';
import {
  bodyOf,
  forged,
  genuineItem,
  ITEM_SHAPES,
  type Forgery,
  type GenuineSource,
} from './forgery-genuine';
import { flipChar } from './forgery-tokens';

function randomBitFlip(random: RandomSource): ItemMutation {
  const field = pick(random, ['data', 'dataKey', 'dataSignature'] as const);
  const position = random();
  const bit = Math.floor(random() * 8);
  return (item) => {
    const content = item.encryptedContent;
    const text: unknown = content?.[field];
    if (!content || typeof text !== 'string') return item;
    const bytes = Buffer.from(text, 'base64');
    const at = Math.floor(position * bytes.length);
    bytes[at] = (bytes[at] ?? 0) ^ (1 << bit);
    return { ...item, encryptedContent: { ...content, [field]: bytes.toString('base64') } };
  };
}

function randomToken(random: RandomSource, token: string): string {
  if (random() < 0.8) return token;
  return flipChar(token, Math.floor(random() * token.length));
}

/** `count` seeded random forgeries: one to three mutations (or a random bit flip) on genuine items. */
export function randomForgeries(
  source: GenuineSource,
  token: string,
  count: number,
  seed: number,
): Forgery[] {
  const random = seededRandom(seed);
  const pool = itemMutationPool(source);
  return Array.from({ length: count }, () => {
    const shape = pick(random, ITEM_SHAPES);
    const mutations = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
      random() < 0.3 ? randomBitFlip(random) : pick(random, pool),
    );
    const items = shape.map((i) =>
      mutations.reduce<unknown>(
        (item, mutate) => mutate(item as never, source),
        genuineItem(source, i),
      ),
    );
    return forged('seeded random combinations', bodyOf(items, [randomToken(random, token)]));
  });
}
