import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { SimUser } from './sim-user';

const seedUserSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  givenName: z.string().default(''),
  surname: z.string().default(''),
  mail: z.string().min(3),
  userPrincipalName: z.string().min(3).optional(),
  jobTitle: z.string().default(''),
  department: z.string().default(''),
  officeLocation: z.string().default(''),
  businessPhones: z.array(z.string()).default([]),
  mobilePhone: z.string().nullable().default(null),
  preferredLanguage: z.string().default('en-US'),
  playgroundUserId: z.string().optional(),
});

const seedFileSchema = z.object({
  tenantId: z.string().min(1).optional(),
  users: z.array(seedUserSchema).min(1),
});

/** The organisation a seed file describes. */
export interface OrganisationSeed {
  tenantId: string | undefined;
  users: SimUser[];
}

/** Parses a seed document: `{tenantId?, users: [{id, displayName, mail, ...}]}`. */
export function parseOrganisationSeed(document: unknown): OrganisationSeed {
  const parsed = seedFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid seed file: ${problems.join('; ')}`);
  }
  const users = parsed.data.users.map(({ playgroundUserId, ...user }) => ({
    ...user,
    userPrincipalName: user.userPrincipalName ?? user.mail,
    ...(playgroundUserId ? { playgroundUserId } : {}),
  }));
  return { tenantId: parsed.data.tenantId, users };
}

/** Reads and parses a JSON seed file; every problem is an Error naming the file. */
export async function loadOrganisationSeed(file: string): Promise<OrganisationSeed> {
  try {
    return parseOrganisationSeed(JSON.parse(await readFile(file, 'utf8')) as unknown);
  } catch (error) {
    throw new Error(`seed file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
