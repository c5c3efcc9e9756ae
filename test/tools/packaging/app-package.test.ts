import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { isAppError } from '../../../src/errors/app-error';
import { APP_PACKAGE_FILES, buildAppPackage } from '../../../tools/packaging/app-package';
import { mergeEnvValues, readEnvFile } from '../../../tools/packaging/env-file';
import { manifestSchemaErrors } from '../../../tools/packaging/manifest-checks';

const root = path.join(__dirname, '..', '..', '..');
const appPackageDir = path.join(root, 'appPackage');

/** What provisioning writes into env/.env.dev, standing in for a real provision run. */
const PROVISIONED = {
  TEAMS_APP_ID: '3d4c5b6a-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
  BOT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  BOT_DOMAIN: 'presencewatchab12cd.azurewebsites.net',
};

/** An env file's values (none for env/.env.local, which git does not track), then `extra`. */
async function envValues(env: string, extra: Record<string, string> = {}) {
  const file = path.join(root, 'env', `.env.${env}`);
  return mergeEnvValues(existsSync(file) ? await readEnvFile(file) : {}, extra);
}

describe('app-package', () => {
  for (const [env, extra] of [
    ['testtool', {}],
    ['dev', PROVISIONED],
    [
      'local',
      { ...PROVISIONED, APP_NAME_SUFFIX: '-local', BOT_DOMAIN: 'abc123-3978.euw.devtunnels.ms' },
    ],
  ] as const) {
    it(`builds a package that validates with env/.env.${env}`, async () => {
      const values = await envValues(env, extra);
      const appPackage = await buildAppPackage(appPackageDir, values);
      assert.deepEqual(await manifestSchemaErrors(appPackage.manifest), []);
      const zip = await JSZip.loadAsync(appPackage.zip);
      assert.deepEqual(Object.keys(zip.files).sort(), [...APP_PACKAGE_FILES].sort());
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
      assert.equal(manifest.bots[0].botId, values.BOT_ID);
      assert.equal(manifest.webApplicationInfo.resource, `api://botid-${values.BOT_ID}`);
      assert.deepEqual(manifest.validDomains, [values.BOT_DOMAIN, 'token.botframework.com']);
      assert.ok(!JSON.stringify(manifest).includes('${{'));
    });
  }

  it('declares a current manifest schema (1.26+) and tier-1 channel features (shared and private channels)', async () => {
    const { manifest } = await buildAppPackage(appPackageDir, await envValues('testtool'));
    const declared = manifest as unknown as {
      $schema: string;
      manifestVersion: string;
      supportsChannelFeatures?: string;
    };
    const minor = Number(/^1\.(\d+)$/.exec(declared.manifestVersion)?.[1]);
    assert.ok(minor >= 26, declared.manifestVersion);
    assert.ok(declared.$schema.includes(`/v${declared.manifestVersion}/`), declared.$schema);
    assert.equal(declared.supportsChannelFeatures, 'tier1');
    assert.deepEqual(await manifestSchemaErrors(manifest), []);
  });

  it('declares every bot command in every scope it supports', async () => {
    const { manifest } = await buildAppPackage(appPackageDir, await envValues('testtool'));
    const bot = (manifest.bots?.[0] ?? {}) as {
      scopes: string[];
      commandLists: { scopes: string[]; commands: { title: string }[] }[];
    };
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    for (const scope of bot.scopes) {
      const list = bot.commandLists.find((candidate) => candidate.scopes.includes(scope));
      const titles = list?.commands.map((command) => command.title) ?? [];
      for (const command of [
        'watch',
        'unwatch',
        'watching',
        'help',
        'signout',
        'whowatchesme',
        'optout',
      ]) {
        assert.ok(titles.includes(`/${command}`), `${scope} lacks /${command}`);
      }
    }
  });

  it('refuses an unprovisioned env: empty ids fail validation', async () => {
    await assert.rejects(
      buildAppPackage(appPackageDir, await envValues('dev')),
      (error: unknown) =>
        isAppError(error, 'APP_PACKAGE_INVALID') && /\/id must match/.test(error.message),
    );
  });

  describe('with a changed copy of appPackage', () => {
    let copy: string;
    beforeEach(async () => {
      copy = await mkdtemp(path.join(tmpdir(), 'app-package-'));
      await cp(appPackageDir, copy, { recursive: true, filter: (file) => !file.includes('build') });
    });
    afterEach(() => rm(copy, { recursive: true, force: true }));

    it('rejects a manifest whose SSO resource does not name the bot', async () => {
      const file = path.join(copy, 'manifest.json');
      const text = (await readFile(file, 'utf8')).replace(
        'api://botid-${{BOT_ID}}',
        'api://${{BOT_ID}}',
      );
      await writeFile(file, text);
      await assert.rejects(
        buildAppPackage(copy, await envValues('testtool')),
        /webApplicationInfo.resource must be api:\/\/botid-<bot id>/,
      );
    });

    it('rejects an outline icon that is not white on transparent', async () => {
      await cp(path.join(copy, 'color.png'), path.join(copy, 'outline.png'));
      await assert.rejects(
        buildAppPackage(copy, await envValues('testtool')),
        /outline icon is 192x192/,
      );
    });
  });
});
