import path from 'node:path';
import { runPackageCommand } from '../tools/packaging/package-command';

void runPackageCommand(process.argv.slice(2), {
  root: path.resolve(__dirname, '..'),
  processEnv: process.env,
  out: (line) => console.log(line),
}).then((code) => {
  process.exitCode = code;
});
