import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { schemaProblems, type Schema } from '../../helpers/json-schema-check';

const root = path.join(__dirname, '..', '..', '..');
const SCHEMA_VERSION = 'v1.13';
const PROJECT_FILES = [
  'teamsapp.yml',
  'teamsapp.local.yml',
  'teamsapp.local.msal.yml',
  'teamsapp.testtool.yml',
];

async function officialSchema(): Promise<Schema> {
  const file = path.join(
    __dirname,
    '..',
    '..',
    'fixtures',
    'teams-toolkit',
    `yaml.schema.${SCHEMA_VERSION}.json`,
  );
  return JSON.parse(await readFile(file, 'utf8')) as Schema;
}

describe('teamsapp*.yml against the official toolkit schema', () => {
  let schema: Schema;
  before(async () => {
    schema = await officialSchema();
  });

  for (const file of PROJECT_FILES) {
    describe(file, () => {
      let text: string;
      before(async () => {
        text = await readFile(path.join(root, file), 'utf8');
      });

      it(`declares ${SCHEMA_VERSION}, in its version and its schema comment`, () => {
        assert.equal((parse(text) as { version: string }).version, SCHEMA_VERSION);
        assert.match(
          text,
          new RegExp(
            `^# yaml-language-server: \\$schema=\\S+/${SCHEMA_VERSION}/yaml\\.schema\\.json$`,
            'm',
          ),
        );
      });

      it('validates against the schema of that version', () => {
        assert.deepEqual(schemaProblems(schema, parse(text)), []);
      });

      it('creates a service principal with every Entra app (single-tenant bots need one)', () => {
        const project = parse(text) as Record<
          string,
          { uses: string; with?: Record<string, unknown> }[]
        >;
        const creates = Object.values(project)
          .filter(Array.isArray)
          .flat()
          .filter((step) => step.uses === 'aadApp/create');
        for (const step of creates) assert.equal(step.with?.generateServicePrincipal, true);
      });
    });
  }
});

describe('json-schema-check', () => {
  it('reports a step the schema does not know and a misspelt argument', async () => {
    const schema = await officialSchema();
    const problems = schemaProblems(schema, {
      version: SCHEMA_VERSION,
      provision: [
        {
          uses: 'aadApp/create',
          with: {
            name: 'x',
            generateClientSecret: true,
            signInAudience: 'AzureADMyOrg',
            generateServicePrinciple: true,
          },
          writeToEnvironmentFile: {
            clientId: 'BOT_ID',
            objectId: 'BOT_OBJECT_ID',
            clientSecret: 'SECRET_BOT_PASSWORD',
          },
        },
      ],
    });
    assert.ok(
      problems.some((line) => line.includes('generateServicePrinciple')),
      problems.join('\n'),
    );
    assert.notDeepEqual(schemaProblems(schema, { version: 'v1.7' }), []);
  });
});
