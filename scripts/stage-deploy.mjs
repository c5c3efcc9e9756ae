// Stages what the App Service runs into .deployment/app (teamsapp.yml deploy; run after
// `npm run build`): the compiled app (dist/ holds only src/; the development tools in tools/ are
// never compiled), the CLI entry point, and package.json with its lock file, so `npm ci --omit=dev`
// there installs production dependencies only. Node's built-in modules only.
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';

const FILES = ['package.json', 'package-lock.json', 'bin'];

const root = process.cwd();
const target = path.resolve(root, process.argv[2] ?? '.deployment/app');

await rm(target, { recursive: true, force: true });
await mkdir(target, { recursive: true });
await cp(path.join(root, 'dist'), path.join(target, 'dist'), {
  recursive: true,
  filter: (source) => !source.endsWith('.map'),
});
for (const file of FILES)
  await cp(path.join(root, file), path.join(target, file), { recursive: true });
process.stdout.write(`staged ${path.relative(root, target)}\n`);
