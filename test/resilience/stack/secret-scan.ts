import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** A secret found in clear: what it is and where. */
export interface SecretFinding {
  readonly kind: string;
  readonly where: string;
}

/** Secrets to look for: exact values by kind, and patterns. */
export interface SecretCatalogue {
  readonly values: ReadonlyArray<{ kind: string; value: string }>;
  readonly patterns: ReadonlyArray<{
    kind: string;
    pattern: RegExp;
    allowed?: (match: string) => boolean;
  }>;
}

/** Reads every file under `dir` (binary-safe, as latin1), e.g. a data folder and its SQLite WAL. */
export async function filesUnder(dir: string): Promise<Array<{ name: string; text: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { name: path.relative(dir, file), text: (await readFile(file)).toString('latin1') };
    }),
  );
}

/** Every value or pattern of the catalogue found in the texts. */
export function scanForSecrets(
  texts: ReadonlyArray<{ name: string; text: string }>,
  catalogue: SecretCatalogue,
): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { name, text } of texts) {
    for (const { kind, value } of catalogue.values) {
      if (value.length >= 8 && text.includes(value)) findings.push({ kind, where: name });
    }
    for (const { kind, pattern, allowed } of catalogue.patterns) {
      const matches =
        text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
      if (matches.some((match) => !allowed?.(match))) findings.push({ kind, where: name });
    }
  }
  return findings;
}
