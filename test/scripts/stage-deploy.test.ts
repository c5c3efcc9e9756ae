import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const SCRIPT = path.join(root, 'scripts', 'stage-deploy.mjs');

async function write(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    ),
  );
  return nested.flat().sort();
}

/** Relative imports of one TypeScript file, resolved to source files. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import|require\()\s*'(\.[^']+)'/g)].map(
    (m) => m[1] ?? '',
  );
  return specifiers.map((specifier) => {
    const base = path.resolve(path.dirname(file), specifier);
    if (existsSync(`${base}.ts`)) return `${base}.ts`;
    return existsSync(path.join(base, 'index.ts')) ? path.join(base, 'index.ts') : base;
  });
}

describe('scripts/stage-deploy.mjs', () => {
  let project: string;
  before(async () => {
    project = await mkdtemp(path.join(tmpdir(), 'presence-watch-stage-'));
    for (const file of [
      'dist/index.js',
      'dist/index.js.map',
      'dist/cli.js',
      'dist/app/start-app.js',
      'src/index.ts',
      'test/a.test.ts',
      'docs/deploy.md',
      'node_modules/typescript/package.json',
      'bin/presence-watch.js',
      'env/.env.dev',
    ]) {
      await write(path.join(project, file), '//\n');
    }
    await write(path.join(project, 'package.json'), '{"name":"x"}');
    await write(path.join(project, 'package-lock.json'), '{}');
  });
  after(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('stages the compiled app, its entry points and the lock file, and no sources or maps', async () => {
    await run(process.execPath, [SCRIPT, '.deployment/app'], { cwd: project });
    assert.deepEqual(await filesUnder(path.join(project, '.deployment', 'app')), [
      'bin/presence-watch.js',
      'dist/app/start-app.js',
      'dist/cli.js',
      'dist/index.js',
      'package-lock.json',
      'package.json',
    ]);
  });

  it('starts from an empty folder each time', async () => {
    await write(path.join(project, '.deployment', 'app', 'stale.txt'), 'old');
    await run(process.execPath, [SCRIPT, '.deployment/app'], { cwd: project });
    assert.ok(!existsSync(path.join(project, '.deployment', 'app', 'stale.txt')));
  });
});

describe('what production runs', () => {
  it('reaches only src/: never the simulator, benchmarks, local launcher or packaging in tools/', async () => {
    const seen = new Set<string>();
    const queue = ['index.ts', 'cli.ts'].map((entry) => path.join(root, 'src', entry));
    while (queue.length > 0) {
      const file = queue.pop() ?? '';
      if (seen.has(file)) continue;
      seen.add(file);
      if (file.endsWith('.ts')) queue.push(...(await importsOf(file)));
    }
    const reached = [...seen].map((file) => path.relative(root, file));
    assert.ok(reached.includes(path.join('src', 'app', 'start-app.ts')));
    assert.deepEqual(
      reached.filter((file) => !file.startsWith(`src${path.sep}`)),
      [],
    );
  });

  it('builds only src/ into dist/', async () => {
    const build = JSON.parse(await readFile(path.join(root, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
      compilerOptions: { rootDir: string };
    };
    assert.deepEqual(build.include, ['src']);
    assert.equal(build.compilerOptions.rootDir, 'src');
  });
});
