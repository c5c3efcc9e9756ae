import type { SimUser } from './sim-user';

/** The tenant the Agents Playground reports (its last group has 13 digits). */
export const SIMULATED_TENANT_ID = '00000000-0000-0000-0000-0000000000001';

/** name, job title, department, office; the Playground's six come first, in its order. */
type PersonRow = [
  given: string,
  surname: string,
  jobTitle: string,
  department: string,
  office: string,
];

const PLAYGROUND_PEOPLE: readonly PersonRow[] = [
  ['Alex', 'Wilber', 'Marketing Assistant', 'Marketing', '131/1104'],
  ['Megan', 'Bowen', 'Marketing Manager', 'Marketing', '12/1110'],
  ['Adele', 'Vance', 'Retail Manager', 'Retail', '18/2111'],
  ['Isaiah', 'Langer', 'Sales Rep', 'Sales', '20/1101'],
  ['Patti', 'Fernandez', 'President', 'Executive Management', '15/1102'],
  ['Lynne', 'Robbins', 'Planner', 'Retail', '20/1104'],
];

const OTHER_PEOPLE: readonly PersonRow[] = [
  ['Diego', 'Siciliani', 'HR Manager', 'HR', '14/1108'],
  ['Grady', 'Archie', 'Designer', 'Research & Development', '19/2109'],
  ['Henrietta', 'Mueller', 'Developer', 'Research & Development', '18/1106'],
  ['Johanna', 'Lorenz', 'Senior Engineer', 'Engineering', '23/2102'],
  ['Joni', 'Sherman', 'Paralegal', 'Legal', '20/1109'],
  ['Lee', 'Gu', 'Director', 'Manufacturing', '23/3101'],
  ['Lidia', 'Holloway', 'Product Manager', 'Engineering', '20/2107'],
  ['Miriam', 'Graham', 'Director', 'Sales & Marketing', '131/2103'],
  ['Nestor', 'Wilke', 'Director', 'Operations', '36/1121'],
  ['Pradeep', 'Gupta', 'Accountant', 'Finance', '98/2202'],
  ['Christie', 'Cline', 'Buyer', 'Sales', '131/2105'],
  ['Enrico', 'Cattaneo', 'Attorney', 'Legal', '14/1102'],
  ['Irvin', 'Sayers', 'Director', 'Sales', '19/2106'],
  ['Allan', 'Deyoung', 'IT Admin', 'IT', '131/1101'],
  ['Debra', 'Berger', 'Administrative Assistant', 'Executive Management', '18/2107'],
  ['Emily', 'Braun', 'Budget Analyst', 'Finance', '97/2302'],
  ['Brian', 'Johnson', 'Support Engineer', 'IT', '131/1108'],
  ['Cameron', 'White', 'Sales Manager', 'Sales', '20/1103'],
  ['Nora', 'Okafor', 'Data Scientist', 'Research & Development', '19/2104'],
  ['Tomás', 'Herrera', 'Customer Success Lead', 'Sales', '20/1106'],
  ['Priya', 'Raman', 'Security Engineer', 'IT', '131/1112'],
  ['Hannah', 'Kowalski', 'Recruiter', 'HR', '14/1111'],
  ['Kenji', 'Watanabe', 'Site Reliability Engineer', 'Engineering', '23/2105'],
  ['Fatima', 'Haddad', 'Legal Counsel', 'Legal', '14/1104'],
];

function playgroundObjectId(index: number): string {
  return `00000000-0000-0000-0000-00000000000${20 + index}`;
}

function otherObjectId(index: number): string {
  return `7c3e9a10-5b2d-4f6e-9a1c-${(0x4e21a0b30000 + index).toString(16).padStart(12, '0')}`;
}

function asciiLetters(text: string): string {
  return text.normalize('NFD').replace(/[^A-Za-z]/g, '');
}

function toUser(row: PersonRow, id: string, index: number, domain: string): SimUser {
  const [givenName, surname, jobTitle, department, officeLocation] = row;
  const alias = `${asciiLetters(givenName)}${asciiLetters(surname).charAt(0)}`;
  return {
    id,
    displayName: `${givenName} ${surname}`,
    givenName,
    surname,
    mail: `${alias}@${domain}`,
    userPrincipalName: `${alias}@${domain}`,
    jobTitle,
    department,
    officeLocation,
    businessPhones: [`+1 425 555 0${(100 + index).toString()}`],
    mobilePhone: null,
    preferredLanguage: 'en-US',
  };
}

/** The demo organisation: the Playground's six default people (same ids) plus colleagues. */
export function defaultOrganisation(domain = 'example.com'): SimUser[] {
  const playground = PLAYGROUND_PEOPLE.map((row, index) => ({
    ...toUser(row, playgroundObjectId(index), index, domain),
    playgroundUserId: `user-id-${index}`,
  }));
  const others = OTHER_PEOPLE.map((row, index) =>
    toUser(row, otherObjectId(index), index + PLAYGROUND_PEOPLE.length, domain),
  );
  return [...playground, ...others];
}
