import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** The pid of a process that has run and exited: a pid nobody holds (barring reuse). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  const pid = child.pid;
  await exited;
  if (pid === undefined) throw new Error('the child process did not start');
  return pid;
}
