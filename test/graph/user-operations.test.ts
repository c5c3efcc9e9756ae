import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logging/logger';
import { createGraphClient, type GraphClient } from '../../src/graph/graph-client';
import { userSearchFilter } from '../../src/graph/user-operations';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';
import { expectAppError } from '../helpers/expect-app-error';
import { startTestSimulator, tokenFor } from '../helpers/tenant-simulator-harness';

const ASKER_ID = 'a0000000-0000-4000-8000-000000000001';
const OBRIEN_ID = 'a0000000-0000-4000-8000-000000000002';
const MURPHY_ID = 'a0000000-0000-4000-8000-000000000003';
const TEAM_ID = 'a0000000-0000-4000-8000-000000000004';
const PLUS_ID = 'a0000000-0000-4000-8000-000000000005';

const PEOPLE = [
  { id: ASKER_ID, displayName: 'Asker Person', mail: 'asker@contoso.test' },
  {
    id: OBRIEN_ID,
    displayName: "Siobhán O'Brien",
    mail: "siobhan.o'brien@contoso.test",
    jobTitle: 'Engineer',
  },
  { id: MURPHY_ID, displayName: 'Siobhán Murphy', mail: 'siobhan.murphy@contoso.test' },
  { id: TEAM_ID, displayName: 'Tom & Jerry Support', mail: 'support@contoso.test' },
  { id: PLUS_ID, displayName: 'Plus Address', mail: 'ops+alerts@contoso.test' },
];

describe('graph client: users against the tenant simulator', () => {
  let folder: string;
  let sim: RunningSimulator;
  let graph: GraphClient;
  let token: string;

  const foundIds = async (text: string): Promise<string[]> =>
    (await graph.searchUsers(token, text, 10)).map((user) => user.id);

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'graph-users-'));
    const seedFile = join(folder, 'people.json');
    await writeFile(seedFile, JSON.stringify({ users: PEOPLE }));
    sim = await startTestSimulator({ seedFile });
    graph = createGraphClient({ baseUrl: sim.graphBaseUrl, logger: silentLogger() });
    token = await tokenFor(sim, ASKER_ID);
  });
  after(async () => {
    await sim.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('gets a person by object id and by userPrincipalName', async () => {
    const expected = {
      id: OBRIEN_ID,
      displayName: "Siobhán O'Brien",
      mail: "siobhan.o'brien@contoso.test",
      userPrincipalName: "siobhan.o'brien@contoso.test",
      jobTitle: 'Engineer',
    };
    assert.deepEqual(await graph.getUser(token, OBRIEN_ID), expected);
    assert.deepEqual(await graph.getUser(token, "Siobhan.O'Brien@contoso.test"), expected);
  });

  it('searches names with an apostrophe', async () => {
    assert.deepEqual(await foundIds("Siobhán O'B"), [OBRIEN_ID]);
    assert.deepEqual(await foundIds("siobhan.o'"), [OBRIEN_ID]);
    assert.deepEqual((await foundIds('Siobhán')).sort(), [MURPHY_ID, OBRIEN_ID].sort());
  });

  it('searches text with URL-significant characters', async () => {
    assert.deepEqual(await foundIds('Tom & J'), [TEAM_ID]);
    assert.deepEqual(await foundIds('ops+'), [PLUS_ID]);
  });

  it('returns nobody for blank text without asking Graph, and honours top', async () => {
    assert.deepEqual(await graph.searchUsers(token, '   ', 5), []);
    assert.equal((await graph.searchUsers(token, 'Siobhán', 1)).length, 1);
  });

  it('reports GRAPH_NOT_FOUND for an unknown person', async () => {
    await expectAppError(graph.getUser(token, 'nobody@contoso.test'), 'GRAPH_NOT_FOUND');
  });

  it('reports GRAPH_FORBIDDEN when the token lacks the directory scope', async () => {
    const presenceOnly = await tokenFor(sim, ASKER_ID, { scopes: ['Presence.Read.All'] });
    const error = await expectAppError(graph.getUser(presenceOnly, OBRIEN_ID), 'GRAPH_FORBIDDEN');
    assert.equal((error as { status?: number }).status, 403);
  });
});

describe('userSearchFilter', () => {
  it('quotes the text once per property and doubles apostrophes', () => {
    assert.equal(
      userSearchFilter("O'Br"),
      "startswith(displayName,'O''Br') or startswith(mail,'O''Br') or startswith(userPrincipalName,'O''Br')",
    );
  });
});
