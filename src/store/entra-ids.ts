/** The stored form of an Entra object id: trimmed and lower-case, so lookups never miss on case. */
export function normalizeEntraId(id: string): string {
  return id.trim().toLowerCase();
}

/** Ids in their stored form, without repeats, sorted: the canonical form of an id set. */
export function canonicalIdList(ids: Iterable<string>): string[] {
  return [...new Set([...ids].map(normalizeEntraId))].sort();
}
