/**
 * A JSON Schema (draft-07) checker for the keywords the toolkit's YAML schemas use: type, const,
 * enum, pattern, maxLength, minimum, required, properties, additionalProperties, items, $ref
 * (local), allOf, anyOf, oneOf. Unknown keywords are ignored, as draft-07 does with annotations.
 */
export type Schema = boolean | { readonly [keyword: string]: unknown };

type Node = Readonly<Record<string, unknown>>;

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it conforms. */
export function schemaProblems(schema: Schema, value: unknown): string[] {
  return check(schema, value, '$', schema);
}

function check(schema: Schema, value: unknown, at: string, root: Schema): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  const node = schema as Node;
  if (typeof node.$ref === 'string') return check(resolve(root, node.$ref), value, at, root);
  const problems = [
    ...checkScalar(node, value, at),
    ...checkObject(node, value, at, root),
    ...checkArray(node, value, at, root),
    ...checkCombinators(node, value, at, root),
  ];
  return problems;
}

function resolve(root: Schema, ref: string): Schema {
  const parts = ref.replace(/^#\//, '').split('/');
  let node: unknown = root;
  for (const part of parts) node = (node as Node)[part];
  if (node === undefined) return false;
  return node as Schema;
}

function typeOf(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number')
    return Number.isInteger(value) ? ['number', 'integer'] : ['number'];
  return [typeof value];
}

function checkScalar(node: Node, value: unknown, at: string): string[] {
  const problems: string[] = [];
  if (node.type !== undefined) {
    const allowed = ([] as unknown[]).concat(node.type);
    if (!typeOf(value).some((type) => allowed.includes(type))) {
      problems.push(`${at}: expected ${allowed.join('|')}`);
    }
  }
  if ('const' in node && node.const !== value)
    problems.push(`${at}: must be ${String(node.const)}`);
  if (Array.isArray(node.enum) && !node.enum.includes(value)) {
    problems.push(`${at}: must be one of ${node.enum.join(', ')}`);
  }
  if (typeof value === 'string') {
    if (typeof node.pattern === 'string' && !new RegExp(node.pattern, 'u').test(value)) {
      problems.push(`${at}: does not match ${node.pattern}`);
    }
    if (typeof node.maxLength === 'number' && [...value].length > node.maxLength) {
      problems.push(`${at}: longer than ${node.maxLength}`);
    }
  }
  if (typeof value === 'number' && typeof node.minimum === 'number' && value < node.minimum) {
    problems.push(`${at}: below ${node.minimum}`);
  }
  return problems;
}

function checkObject(node: Node, value: unknown, at: string, root: Schema): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  const properties = (node.properties ?? {}) as Record<string, Schema>;
  const problems: string[] = [];
  for (const name of (node.required ?? []) as string[]) {
    if (!(name in object)) problems.push(`${at}: missing ${name}`);
  }
  for (const [name, child] of Object.entries(object)) {
    const propertySchema = properties[name];
    if (propertySchema !== undefined)
      problems.push(...check(propertySchema, child, `${at}.${name}`, root));
    else if (node.additionalProperties !== undefined) {
      problems.push(...check(node.additionalProperties as Schema, child, `${at}.${name}`, root));
    }
  }
  return problems;
}

function checkArray(node: Node, value: unknown, at: string, root: Schema): string[] {
  if (!Array.isArray(value) || node.items === undefined) return [];
  return value.flatMap((item, index) => check(node.items as Schema, item, `${at}[${index}]`, root));
}

function checkCombinators(node: Node, value: unknown, at: string, root: Schema): string[] {
  const problems: string[] = [];
  for (const part of (node.allOf ?? []) as Schema[]) problems.push(...check(part, value, at, root));
  if (Array.isArray(node.anyOf)) {
    const results = (node.anyOf as Schema[]).map((part) => check(part, value, at, root));
    if (!results.some((result) => result.length === 0))
      problems.push(...closest(results, at, 'anyOf'));
  }
  if (Array.isArray(node.oneOf)) {
    const results = (node.oneOf as Schema[]).map((part) => check(part, value, at, root));
    const passing = results.filter((result) => result.length === 0).length;
    if (passing === 0) problems.push(...closest(results, at, 'oneOf'));
    if (passing > 1) problems.push(`${at}: matches ${passing} oneOf branches`);
  }
  return problems;
}

/** The problems of the branch that came closest, so a message names the likely mistake. */
function closest(results: string[][], at: string, keyword: string): string[] {
  const best = [...results].sort((a, b) => a.length - b.length)[0] ?? [];
  return [`${at}: no ${keyword} branch matches; nearest:`, ...best.map((line) => `  ${line}`)];
}
