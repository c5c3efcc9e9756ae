/** A person in the simulated tenant's directory; `id` is their Entra object id. */
export interface SimUser {
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
  jobTitle?: string;
}

/** The part of the simulator's directory that sign-in needs. */
export interface SimDirectory {
  listUsers(): SimUser[];
  /** Finds a person by object id (or, where the directory knows it, another id such as a Playground user id). */
  findUser(idOrAadObjectId: string): SimUser | undefined;
}
