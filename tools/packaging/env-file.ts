import { readFile } from 'node:fs/promises';

/** Values read from a Teams Toolkit env file (`KEY=value` lines). */
export type EnvValues = Readonly<Record<string, string>>;

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/** Parses dotenv-style text: comments and blank lines are skipped, quotes around a value removed. */
export function parseEnvText(text: string): EnvValues {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (match?.[1] !== undefined) values[match[1]] = unquote(match[2] ?? '');
  }
  return values;
}

/** Reads and parses one env file. */
export async function readEnvFile(file: string): Promise<EnvValues> {
  return parseEnvText(await readFile(file, 'utf8'));
}

/** Values from the env file; `fallback` (usually process.env) fills names the file leaves unset or empty. */
export function mergeEnvValues(
  fromFile: EnvValues,
  fallback: Readonly<Record<string, string | undefined>>,
): EnvValues {
  const merged: Record<string, string> = { ...fromFile };
  for (const [name, value] of Object.entries(fallback)) {
    if (value !== undefined && value !== '' && !merged[name]) merged[name] = value;
  }
  return merged;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? '') : value;
}
