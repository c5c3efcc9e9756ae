import type { SimUser } from '../directory/sim-user';
import { GraphError } from '../http/graph-error';
import { splitOutsideQuotes } from '../http/quoted-split';

/** A predicate over directory users built from `$filter` or `$search`. */
export type UserPredicate = (user: SimUser) => boolean;

const FILTERABLE = new Map<string, (user: SimUser) => string>([
  ['displayname', (user) => user.displayName],
  ['mail', (user) => user.mail],
  ['userprincipalname', (user) => user.userPrincipalName],
  ['givenname', (user) => user.givenName],
  ['surname', (user) => user.surname],
  ['id', (user) => user.id],
  ['jobtitle', (user) => user.jobTitle],
]);

const STARTSWITH = /^startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)$/i;
const EQUALS = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i;

function unsupported(): GraphError {
  return new GraphError(
    400,
    'Request_UnsupportedQuery',
    'Unsupported or invalid query filter clause specified.',
  );
}

function property(name: string): (user: SimUser) => string {
  const read = FILTERABLE.get(name.toLowerCase());
  if (!read) throw unsupported();
  return read;
}

function clause(text: string): UserPredicate {
  const trimmed = text
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  const starts = STARTSWITH.exec(trimmed);
  if (starts?.[1] !== undefined && starts[2] !== undefined) {
    const read = property(starts[1]);
    const prefix = starts[2].replace(/''/g, "'").toLowerCase();
    return (user) => read(user).toLowerCase().startsWith(prefix);
  }
  const equals = EQUALS.exec(trimmed);
  if (equals?.[1] !== undefined && equals[2] !== undefined) {
    const read = property(equals[1]);
    const value = equals[2].replace(/''/g, "'").toLowerCase();
    return (user) => read(user).toLowerCase() === value;
  }
  throw unsupported();
}

/** Parses `$filter`: `startswith(prop,'x')` and `prop eq 'x'` clauses joined by `or`/`and` outside quotes. */
export function parseUserFilter(filter: string): UserPredicate {
  const alternatives = splitOutsideQuotes(filter, /\s+or\s+/i).map((part) =>
    splitOutsideQuotes(part, /\s+and\s+/i).map(clause),
  );
  return (user) => alternatives.some((all) => all.every((test) => test(user)));
}

function searchTerm(text: string): UserPredicate {
  const match = /^"(\w+):([^"]*)"$/.exec(text.trim());
  if (!match?.[1] || match[2] === undefined) {
    throw new GraphError(400, 'Request_UnsupportedQuery', 'Invalid $search query.');
  }
  const read = property(match[1]);
  const term = match[2].toLowerCase();
  return (user) =>
    read(user)
      .toLowerCase()
      .split(/[\s.@_-]+/)
      .some((word) => word.startsWith(term));
}

/** Parses `$search`: `"prop:term"` clauses joined by OR/AND, matching word prefixes like Graph. */
export function parseUserSearch(search: string): UserPredicate {
  const alternatives = splitOutsideQuotes(search, /\s+OR\s+/).map((part) =>
    splitOutsideQuotes(part, /\s+AND\s+/).map(searchTerm),
  );
  return (user) => alternatives.some((all) => all.every((test) => test(user)));
}
