import fc from 'fast-check';

type Json = unknown;
type Path = readonly (string | number)[];

/** Every path inside a JSON document (the root excluded). */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((child, i): [number, Json] => [i, child])
    : Object.entries(value as Record<string, Json>);
  return entries.flatMap(([key, child]) => {
    const path = [...prefix, key];
    return [path, ...pathsOf(child, path)];
  });
}

function parentOf(root: Json, path: Path): Record<string | number, Json> | undefined {
  let node = root as Record<string | number, Json> | undefined;
  for (const key of path.slice(0, -1)) {
    node = node?.[key] as Record<string | number, Json> | undefined;
    if (node === null || typeof node !== 'object') return undefined;
  }
  return node;
}

function swappedType(value: Json): Json {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value !== null && typeof value === 'object') return Object.values(value);
  return value === null ? {} : null;
}

type Edit =
  | { kind: 'delete' }
  | { kind: 'replace'; value: Json }
  | { kind: 'swapType' }
  | { kind: 'unicode'; text: string }
  | { kind: 'duplicate'; times: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.constant<Edit>({ kind: 'delete' }),
  fc.jsonValue({ maxDepth: 3 }).map((value): Edit => ({ kind: 'replace', value })),
  fc.constant<Edit>({ kind: 'swapType' }),
  fc.string({ unit: 'binary', maxLength: 40 }).map((text): Edit => ({ kind: 'unicode', text })),
  fc.integer({ min: 1, max: 40 }).map((times): Edit => ({ kind: 'duplicate', times })),
);

function applyEdit(root: Json, path: Path, edit: Edit): void {
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  if (!parent || key === undefined) return;
  const current = parent[key];
  if (edit.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (edit.kind === 'replace') parent[key] = edit.value;
  else if (edit.kind === 'swapType') parent[key] = swappedType(current);
  else if (edit.kind === 'unicode') {
    parent[key] = typeof current === 'string' ? `${current}${edit.text}` : edit.text;
  } else if (Array.isArray(current)) {
    parent[key] = Array.from({ length: edit.times + 1 }, () => current).flat();
  } else parent[key] = Array.from({ length: edit.times + 1 }, () => current);
}

function structuralArb(document: Json): fc.Arbitrary<Buffer> {
  const paths = pathsOf(document);
  const edit = fc.record({ path: fc.nat({ max: paths.length - 1 }), edit: editArb });
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const copy = structuredClone(document);
    for (const { path, edit: change } of edits) applyEdit(copy, paths[path] ?? [], change);
    return Buffer.from(JSON.stringify(copy) ?? '');
  });
}

type ByteEdit = (bytes: Buffer) => Buffer;

function byteEditArb(): fc.Arbitrary<ByteEdit> {
  const at = (bytes: Buffer, position: number): number => position % (bytes.length + 1);
  return fc.oneof(
    fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 })
      .map((flips): ByteEdit => (bytes) => {
        const copy = Buffer.from(bytes);
        for (const [p, bit] of flips) {
          const i = p % copy.length;
          copy[i] = (copy[i] ?? 0) ^ (1 << bit);
        }
        return copy;
      }),
    fc.nat().map(
      (p): ByteEdit =>
        (bytes) =>
          bytes.subarray(0, at(bytes, p)),
    ),
    fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(
      ([p, extra]): ByteEdit =>
        (bytes) =>
          Buffer.concat([bytes.subarray(0, at(bytes, p)), extra, bytes.subarray(at(bytes, p))]),
    ),
    fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]): ByteEdit => (bytes) => {
      const [from, to] = [at(bytes, a), at(bytes, b)].sort((x, y) => x - y) as [number, number];
      const slice = bytes.subarray(from, to);
      const insert = at(bytes, c);
      return Buffer.concat([bytes.subarray(0, insert), slice, bytes.subarray(insert)]);
    }),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]): ByteEdit => (bytes) => {
      const [from, to] = [at(bytes, a), at(bytes, b)].sort((x, y) => x - y) as [number, number];
      return Buffer.concat([bytes.subarray(0, from), bytes.subarray(to)]);
    }),
    fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 16 })).map(
      ([p, text]): ByteEdit =>
        (bytes) =>
          Buffer.concat([
            bytes.subarray(0, at(bytes, p)),
            Buffer.from(text),
            bytes.subarray(at(bytes, p)),
          ]),
    ),
  );
}

function bytesArb(base: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .tuple(base, fc.array(byteEditArb(), { minLength: 1, maxLength: 3 }))
    .map(([bytes, edits]) => edits.reduce((current, edit) => edit(current), bytes));
}

/** Mutated versions of a genuine body: JSON edits, byte edits, both, or random JSON. */
export function mutatedBodies(genuine: Buffer): fc.Arbitrary<Buffer> {
  const document = JSON.parse(genuine.toString('utf8')) as Json;
  const structural = structuralArb(document);
  return fc.oneof(
    { arbitrary: structural, weight: 45 },
    { arbitrary: bytesArb(fc.constant(genuine)), weight: 35 },
    { arbitrary: bytesArb(structural), weight: 10 },
    { arbitrary: fc.json({ maxDepth: 6 }).map((text) => Buffer.from(text)), weight: 5 },
    {
      arbitrary: fc
        .jsonValue({ maxDepth: 4 })
        .map((value) => Buffer.from(JSON.stringify({ value }))),
      weight: 5,
    },
  );
}

/** `count` mutated bodies from a fixed seed (the same seed gives the same bodies). */
export function sampleBodies(genuine: Buffer, count: number, seed: number): Buffer[] {
  return fc.sample(mutatedBodies(genuine), { numRuns: count, seed });
}
