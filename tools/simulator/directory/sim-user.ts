/** One person in the simulated organisation, with Graph's user properties. */
export interface SimUser {
  /** The Entra object id (what Graph calls `id`, Teams calls `aadObjectId`). */
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  userPrincipalName: string;
  jobTitle: string;
  department: string;
  officeLocation: string;
  businessPhones: string[];
  mobilePhone: string | null;
  preferredLanguage: string;
  /** The Agents Playground's own id for this person (`user-id-0`...), when it shows them. */
  playgroundUserId?: string;
}

/** The properties Graph returns for a user when no `$select` is given. */
export const DEFAULT_USER_PROPERTIES: readonly (keyof SimUser)[] = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/** Every Graph property a SimUser carries (what `$select` may name). */
export const SELECTABLE_USER_PROPERTIES: readonly (keyof SimUser)[] = [
  ...DEFAULT_USER_PROPERTIES,
  'department',
];
