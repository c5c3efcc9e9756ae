import path from 'node:path';
import { runIconsCommand } from '../tools/packaging/icons-command';

void runIconsCommand({
  root: path.resolve(__dirname, '..'),
  out: (line) => console.log(line),
}).then((code) => {
  process.exitCode = code;
});
