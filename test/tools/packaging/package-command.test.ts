import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { APP_PACKAGE_FILES } from '../../../tools/packaging/app-package';
import { runPackageCommand } from '../../../tools/packaging/package-command';

const repoRoot = path.join(__dirname, '..', '..', '..');

describe('package-command', () => {
  let root: string;
  let lines: string[];
  const run = (args: string[], processEnv: Record<string, string> = {}) =>
    runPackageCommand(args, { root, processEnv, out: (line) => lines.push(line) });

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'package-command-'));
    lines = [];
    await cp(path.join(repoRoot, 'env'), path.join(root, 'env'), { recursive: true });
    await cp(path.join(repoRoot, 'appPackage'), path.join(root, 'appPackage'), {
      recursive: true,
      filter: (file) => !file.includes('build'),
    });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('builds appPackage/build/appPackage.testtool.zip by default', async () => {
    assert.equal(await run([]), 0);
    assert.deepEqual(lines, [
      `wrote ${path.join('appPackage', 'build', 'appPackage.testtool.zip')}`,
    ]);
    const zip = await JSZip.loadAsync(
      await readFile(path.join(root, 'appPackage', 'build', 'appPackage.testtool.zip')),
    );
    assert.deepEqual(Object.keys(zip.files).sort(), [...APP_PACKAGE_FILES].sort());
  });

  it('fills values the env file leaves empty from the process environment', async () => {
    const provisioned = {
      TEAMS_APP_ID: '3d4c5b6a-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
      BOT_ID: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      BOT_DOMAIN: 'presencewatch.azurewebsites.net',
    };
    assert.equal(await run(['dev'], provisioned), 0);
    const zip = await JSZip.loadAsync(
      await readFile(path.join(root, 'appPackage', 'build', 'appPackage.dev.zip')),
    );
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    assert.equal(manifest.id, provisioned.TEAMS_APP_ID);
  });

  it('fails with the reason when the env is not provisioned or does not exist', async () => {
    assert.equal(await run(['dev']), 1);
    assert.match(lines[0] ?? '', /could not be built: .*\/id must match/);
    assert.equal(await run(['staging']), 1);
    assert.match(lines[1] ?? '', /cannot package staging/);
  });

  it('prints usage for bad arguments', async () => {
    assert.equal(await run(['dev', 'extra']), 2);
    assert.equal(await run(['../etc']), 2);
    assert.match(lines[0] ?? '', /^usage: npm run package/);
  });
});
