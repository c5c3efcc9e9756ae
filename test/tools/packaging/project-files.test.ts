import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../../src/config/config';
import { readEnvFile } from '../../../tools/packaging/env-file';
import { placeholderNames } from '../../../tools/packaging/placeholders';

const root = path.join(__dirname, '..', '..', '..');

/** Names the toolkit or the person running it supplies, never a yml step. */
const SUPPLIED_OUTSIDE_STEPS = [
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP_NAME',
  'APP_NAME_SUFFIX',
];

interface Step {
  readonly uses: string;
  readonly with?: Record<string, unknown>;
  readonly writeToEnvironmentFile?: Record<string, string>;
  readonly env?: Record<string, string>;
}

type ProjectFile = Partial<Record<'provision' | 'deploy' | 'publish', Step[]>> & {
  version: string;
};

/** aadApp/update generates the access_as_user scope id when the environment has none. */
const TOOLKIT_GENERATED_SCOPE_ID = ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'];

const PROJECT_FILES = [
  { file: 'teamsapp.yml', env: 'dev', tracked: true },
  { file: 'teamsapp.local.yml', env: 'local', tracked: false },
  { file: 'teamsapp.local.msal.yml', env: 'local', tracked: false },
  { file: 'teamsapp.testtool.yml', env: 'testtool', tracked: true },
] as const;

const FILE_ARGUMENTS = ['manifestPath', 'path', 'parameters', 'ignoreFile'];

async function readProjectFile(file: string): Promise<ProjectFile> {
  return parse(await readFile(path.join(root, file), 'utf8')) as ProjectFile;
}

function stepsOf(project: ProjectFile): Step[] {
  return [...(project.provision ?? []), ...(project.deploy ?? []), ...(project.publish ?? [])];
}

/** Every file path a step names (build outputs excluded), relative to the project root. */
function pathsOf(step: Step): string[] {
  const found: string[] = [];
  const visit = (value: unknown, key: string): void => {
    if (Array.isArray(value)) value.forEach((item) => visit(item, key));
    else if (value && typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value)) visit(child, childKey);
    } else if (typeof value === 'string' && FILE_ARGUMENTS.includes(key)) found.push(value);
    else if (typeof value === 'string' && key === 'run') {
      found.push(...[...value.matchAll(/scripts\/[\w./-]+\.m?[jt]s/g)].map((match) => match[0]));
    }
  };
  visit(step.with, '');
  return found.filter((file) => !file.includes('/build/'));
}

async function placeholdersOf(step: Step): Promise<string[]> {
  const texts = [JSON.stringify(step.with ?? {})];
  for (const file of pathsOf(step)) {
    if (file.endsWith('.json')) texts.push(await readFile(path.join(root, file), 'utf8'));
  }
  if (step.uses === 'aadApp/update') {
    texts.push(await readFile(path.join(root, String(step.with?.manifestPath)), 'utf8'));
  }
  return placeholderNames(texts.join('\n'));
}

/** The names a `script` step sets, from its `::set-teamsfx-env` lines, given the names set so far. */
function scriptOutputs(step: Step, available: ReadonlySet<string>): string[] {
  const standIns = Object.fromEntries([...available].map((name) => [name, 'stand-in']));
  const stdout = execFileSync('sh', ['-c', String(step.with?.run)], {
    cwd: root,
    env: { PATH: process.env.PATH, ...standIns, ...step.env },
    encoding: 'utf8',
  });
  return [...stdout.matchAll(/^::set-teamsfx-env (\w+)=/gm)].map((match) => match[1] ?? '');
}

async function outputsOf(step: Step, available: ReadonlySet<string>): Promise<string[]> {
  const outputs = Object.values(step.writeToEnvironmentFile ?? {});
  if (step.uses === 'script') outputs.push(...scriptOutputs(step, available));
  if (step.uses === 'arm/deploy') {
    for (const template of (step.with?.templates ?? []) as { path: string }[]) {
      const bicep = await readFile(path.join(root, template.path), 'utf8');
      outputs.push(...[...bicep.matchAll(/^output (\w+) /gm)].map((match) => match[1] ?? ''));
    }
  }
  return outputs;
}

async function tunnelOutputs(): Promise<string[]> {
  const tasks = JSON.parse(await readFile(path.join(root, '.vscode', 'tasks.json'), 'utf8'));
  const tunnel = tasks.tasks.find(
    (task: { command?: string }) => task.command === 'debug-start-local-tunnel',
  );
  return tunnel.args.ports.flatMap((port: { writeToEnvironmentFile: Record<string, string> }) =>
    Object.values(port.writeToEnvironmentFile),
  );
}

for (const { file, env, tracked } of PROJECT_FILES) {
  describe(file, () => {
    let project: ProjectFile;
    before(async () => {
      project = await readProjectFile(file);
    });

    it('parses, with a version and lifecycle steps', () => {
      assert.match(project.version, /^v1\.\d+$/);
      assert.ok(stepsOf(project).length > 0);
      for (const step of stepsOf(project)) assert.match(step.uses, /^[a-zA-Z]+(\/[a-zA-Z]+)?$/);
    });

    it('names only paths that exist', () => {
      const missing = stepsOf(project)
        .flatMap(pathsOf)
        .filter((name) => !existsSync(path.join(root, name)));
      assert.deepEqual(missing, []);
    });

    it(`uses only \${{VARS}} that ${tracked ? `env/.env.${env}` : 'nothing'} defines or an earlier step produces`, async () => {
      const envFile = path.join(root, 'env', `.env.${env}`);
      const envValues = tracked ? await readEnvFile(envFile) : {};
      const available = new Set([
        ...Object.keys(envValues).filter((name) => envValues[name] !== ''),
        ...SUPPLIED_OUTSIDE_STEPS,
        'TEAMSFX_ENV',
        ...(env === 'local' ? await tunnelOutputs() : []),
      ]);
      const problems: string[] = [];
      for (const step of stepsOf(project)) {
        if (step.uses === 'aadApp/update')
          TOOLKIT_GENERATED_SCOPE_ID.forEach((n) => available.add(n));
        for (const name of await placeholdersOf(step)) {
          if (!available.has(name)) problems.push(`${step.uses} uses ${name}`);
        }
        for (const output of await outputsOf(step, available)) available.add(output);
      }
      assert.deepEqual(problems, []);
      const neverSet = Object.keys(envValues).filter((name) => !available.has(name));
      assert.deepEqual(neverSet, [], `env/.env.${env} declares names nothing sets`);
    });

    it('writes the app only environment names the config module reads', () => {
      for (const step of stepsOf(project).filter(
        (s) => s.uses === 'file/createOrUpdateEnvironmentFile',
      )) {
        const names = Object.keys((step.with?.envs ?? {}) as Record<string, string>);
        assert.deepEqual(
          names.filter((name) => !CONFIG_VARIABLES.includes(name)),
          [],
        );
      }
    });
  });
}

describe('client secret expiry', () => {
  it('dates the secret with the lifetime aadApp/create gives it', async () => {
    const steps = stepsOf(await readProjectFile('teamsapp.yml'));
    const create = steps.find((step) => step.uses === 'aadApp/create');
    const record = steps.find((step) => String(step.with?.run).includes('record-secret-expiry'));
    assert.ok(create && record);
    assert.ok(steps.indexOf(record) > steps.indexOf(create));
    assert.equal(
      String(create.with?.clientSecretExpireDays),
      record.env?.CLIENT_SECRET_EXPIRE_DAYS,
    );
  });
});

describe('aad.manifest.json', () => {
  it('asks for delegated Graph presence and people permissions and enables Teams SSO', async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'aad.manifest.json'), 'utf8'));
    const graph = manifest.requiredResourceAccess.find(
      (entry: { resourceAppId: string }) => entry.resourceAppId === 'Microsoft Graph',
    );
    const scopes = graph.resourceAccess.filter(
      (access: { type: string }) => access.type === 'Scope',
    );
    const names = scopes.map((access: { id: string }) => access.id);
    assert.ok(names.includes('Presence.Read.All') && names.includes('User.ReadBasic.All'));
    assert.deepEqual(manifest.identifierUris, ['api://botid-${{BOT_ID}}']);
    assert.equal(manifest.api.oauth2PermissionScopes[0].value, 'access_as_user');
    const teamsClients = manifest.api.preAuthorizedApplications.map(
      (app: { appId: string }) => app.appId,
    );
    assert.deepEqual(teamsClients.sort(), [
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    ]);
    assert.ok(
      manifest.web.redirectUris.includes('https://token.botframework.com/.auth/web/redirect'),
    );
  });

  it("passes the toolkit's Entra manifest checks (v2 tokens, idtyp optional claim)", async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'aad.manifest.json'), 'utf8'));
    assert.equal(manifest.signInAudience, 'AzureADMyOrg');
    assert.ok(manifest.displayName);
    assert.equal(manifest.api.requestedAccessTokenVersion, 2);
    const accessClaims = (manifest.optionalClaims?.accessToken ?? []).map(
      (claim: { name: string }) => claim.name,
    );
    assert.ok(accessClaims.includes('idtyp'), 'optionalClaims.accessToken lacks idtyp');
  });
});

describe('.vscode launch and tasks', () => {
  interface Task {
    label: string;
    dependsOn?: string[];
  }
  interface Launch {
    configurations: { name: string; preLaunchTask?: string }[];
    compounds: { name: string; configurations: string[]; preLaunchTask?: string }[];
  }

  it('offers F5 in the Playground, in Teams on the web and in the Teams desktop client', async () => {
    const launch = JSON.parse(
      await readFile(path.join(root, '.vscode', 'launch.json'), 'utf8'),
    ) as Launch;
    const names = [...launch.configurations, ...launch.compounds].map((entry) => entry.name);
    for (const name of [
      'Debug in Microsoft 365 Agents Playground',
      'Debug in Teams (Edge)',
      'Debug in Teams (Desktop)',
      'View Remote App in Teams (Desktop)',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  it('names only tasks and configurations that exist', async () => {
    const launch = JSON.parse(
      await readFile(path.join(root, '.vscode', 'launch.json'), 'utf8'),
    ) as Launch;
    const { tasks } = JSON.parse(
      await readFile(path.join(root, '.vscode', 'tasks.json'), 'utf8'),
    ) as { tasks: Task[] };
    const labels = new Set(tasks.map((task) => task.label));
    const configurations = new Set(launch.configurations.map((entry) => entry.name));
    const missing = [
      ...[...launch.configurations, ...launch.compounds].flatMap((entry) =>
        entry.preLaunchTask && !labels.has(entry.preLaunchTask) ? [entry.preLaunchTask] : [],
      ),
      ...tasks.flatMap((task) => (task.dependsOn ?? []).filter((label) => !labels.has(label))),
      ...launch.compounds.flatMap((compound) =>
        compound.configurations.filter((name) => !configurations.has(name)),
      ),
    ];
    assert.deepEqual(missing, []);
  });
});

describe('env files git keeps out', () => {
  it('ignores env/.env.local and the *.user secret files, as the toolkit templates do', async () => {
    const ignored = (await readFile(path.join(root, '.gitignore'), 'utf8')).split('\n');
    assert.ok(ignored.includes('env/.env.local'));
    assert.ok(ignored.includes('env/.env.*.user'));
  });
});
