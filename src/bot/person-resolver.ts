import { TeamsInfo, type TurnContext } from 'botbuilder';
import { isAppError } from '../errors/app-error';
import type { GraphClient, GraphUser } from '../graph';
import type { PersonMention } from './mentions';
import { MAX_QUERY_CHARS } from './user-text';

/** A person the bot can watch: Entra object id and display name. */
export interface Person {
  readonly id: string;
  readonly name: string;
}

/** How looking people up went: who was found, which names need a choice, what was not found. */
export interface Resolution {
  readonly people: Person[];
  readonly ambiguous: { query: string; candidates: GraphUser[] }[];
  readonly notFound: string[];
}

/** The directory reads the resolver uses. */
export type DirectoryReads = Pick<GraphClient, 'getUser' | 'searchUsers'>;

const MAX_CANDIDATES = 5;
/** Shaped like an Entra object id; the Playground's have 13 digits in the last group, so allow that. */
const OBJECT_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** An empty resolution to add results to. */
export function emptyResolution(): Resolution {
  return { people: [], ambiguous: [], notFound: [] };
}

/** True when `value` looks like an Entra object id rather than a channel user id. */
export function looksLikeObjectId(value: string): boolean {
  return OBJECT_ID_SHAPE.test(value.trim());
}

/** A channel member's Entra id from the conversation roster; undefined when not a member. */
export async function rosterPerson(
  context: TurnContext,
  channelUserId: string,
  fallbackName = '',
): Promise<Person | undefined> {
  try {
    const member = await TeamsInfo.getMember(context, channelUserId);
    if (!member.aadObjectId) return undefined;
    return { id: member.aadObjectId, name: member.name || fallbackName };
  } catch {
    return undefined;
  }
}

/** Resolves @mentions through the conversation roster; returns the mentions it could not. */
export async function resolveMentions(
  context: TurnContext,
  mentions: readonly PersonMention[],
  into: Resolution,
): Promise<PersonMention[]> {
  const unresolved: PersonMention[] = [];
  for (const mention of mentions) {
    const person = await rosterPerson(context, mention.channelUserId, mention.name);
    if (person) into.people.push(person);
    else unresolved.push(mention);
  }
  return unresolved;
}

/**
 * Resolves @mentions through the roster, then confirms each member in the directory (the user's
 * tenant, by their token) and takes the directory's name; a member the directory does not know is
 * refused. Returns the mentions the roster did not know.
 */
export async function resolveMentionsInDirectory(
  context: TurnContext,
  graph: DirectoryReads,
  token: string,
  mentions: readonly PersonMention[],
  into: Resolution,
): Promise<PersonMention[]> {
  const members = emptyResolution();
  const unresolved = await resolveMentions(context, mentions, members);
  for (const member of members.people) {
    const person = await directoryPerson(graph, token, member.id);
    if (person) into.people.push(person);
    else into.notFound.push(member.name || 'someone you mentioned');
  }
  return unresolved;
}

/** Looks one person up by object id or principal name; undefined when Graph has no such user. */
export async function directoryPerson(
  graph: DirectoryReads,
  token: string,
  idOrUpn: string,
): Promise<Person | undefined> {
  if (idOrUpn.trim().length === 0 || idOrUpn.length > MAX_QUERY_CHARS) return undefined;
  try {
    const user = await graph.getUser(token, idOrUpn);
    return { id: user.id, name: user.displayName };
  } catch (error) {
    if (isAppError(error, 'GRAPH_NOT_FOUND') || isAppError(error, 'GRAPH_BAD_REQUEST')) {
      return undefined;
    }
    throw error;
  }
}

/** Resolves e-mail addresses (or principal names) through the directory. */
export async function resolveEmails(
  graph: DirectoryReads,
  token: string,
  emails: readonly string[],
  into: Resolution,
): Promise<void> {
  for (const email of emails) {
    const person = await directoryPerson(graph, token, email);
    if (person) into.people.push(person);
    else into.notFound.push(email);
  }
}

/** Resolves names: one match (or one exact display name) is taken, several become a choice. */
export async function resolveNames(
  graph: DirectoryReads,
  token: string,
  names: readonly string[],
  into: Resolution,
): Promise<void> {
  for (const name of names) {
    if (name.length > MAX_QUERY_CHARS) {
      into.notFound.push(name);
      continue;
    }
    const found = await graph.searchUsers(token, name, MAX_CANDIDATES + 1);
    const exact = found.filter((user) => user.displayName.toLowerCase() === name.toLowerCase());
    const matches = exact.length === 1 ? exact : found;
    const [only] = matches;
    if (matches.length === 1 && only) into.people.push({ id: only.id, name: only.displayName });
    else if (matches.length === 0) into.notFound.push(name);
    else into.ambiguous.push({ query: name, candidates: matches.slice(0, MAX_CANDIDATES) });
  }
}

/**
 * One picked value as a person the directory confirms: an object id straight from the directory;
 * anything else (a Teams or Playground user id) through the conversation roster when they are a
 * member, else through the directory (a personal chat's roster holds only the user).
 */
async function pickedPerson(
  context: TurnContext,
  graph: DirectoryReads,
  token: string,
  value: string,
): Promise<Person | undefined> {
  if (value.length > MAX_QUERY_CHARS) return undefined;
  if (looksLikeObjectId(value)) return directoryPerson(graph, token, value);
  const member = await rosterPerson(context, value);
  return directoryPerson(graph, token, member?.id ?? value);
}

/** Resolves people-picker values; every person watched is one the directory confirmed. */
export async function resolvePickedValues(
  context: TurnContext,
  graph: DirectoryReads,
  token: string,
  values: readonly string[],
  into: Resolution,
): Promise<void> {
  for (const value of values) {
    const person = await pickedPerson(context, graph, token, value);
    if (person) into.people.push(person);
    else into.notFound.push(value);
  }
}

/** The people without repeats (ids compared case-insensitively), first occurrence kept. */
export function uniquePeople(people: readonly Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = person.id.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
