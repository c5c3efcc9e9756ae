import type { SimUser } from '../directory/sim-user';

export type { SimUser };

/** The properties of a directory person that sign-in uses; any SimUser qualifies. */
export type IdentityUser = Pick<SimUser, 'id' | 'displayName' | 'mail' | 'userPrincipalName'>;

/** The part of the simulator's directory that sign-in needs. */
export interface SimDirectory {
  listUsers(): IdentityUser[];
  /** Finds a person by object id (or another id the directory knows, such as a Playground user id). */
  findUser(idOrAadObjectId: string): IdentityUser | undefined;
}
