import type { SimUser } from './sim-user';

/** The simulated organisation's people. */
export interface Directory {
  listUsers(): SimUser[];
  /** Finds a person by object id or userPrincipalName (case-insensitive, like Graph). */
  findUser(idOrPrincipalName: string): SimUser | undefined;
  /** The person the Playground calls `user-id-N`, if any. */
  findByPlaygroundId(playgroundUserId: string): SimUser | undefined;
}

/** Builds a directory over a fixed list of people; ids and principal names must be unique. */
export function createDirectory(users: readonly SimUser[]): Directory {
  const byKey = new Map<string, SimUser>();
  for (const user of users) {
    for (const key of [user.id, user.userPrincipalName]) {
      const normalised = key.toLowerCase();
      if (byKey.has(normalised)) throw new Error(`duplicate user id or principal name: ${key}`);
      byKey.set(normalised, user);
    }
  }
  const ordered = [...users];
  return {
    listUsers: () => [...ordered],
    findUser: (idOrPrincipalName) => byKey.get(idOrPrincipalName.toLowerCase()),
    findByPlaygroundId: (playgroundUserId) =>
      ordered.find((user) => user.playgroundUserId === playgroundUserId),
  };
}
