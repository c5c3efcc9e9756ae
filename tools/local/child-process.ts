import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** A child process the launcher started, and how to end it. */
export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Resolves with the exit code (or signal) once the child has ended. */
  readonly exited: Promise<string>;
  /** Sends SIGTERM (SIGKILL after `graceMs`) and waits for the child to end. */
  stop(graceMs?: number): Promise<void>;
}

/** What to run and where its output goes. */
export interface ChildSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** `inherit` shows the output; a file path appends it there; `pipe` leaves it to the caller. */
  output: 'inherit' | 'pipe' | { file: string };
}

function stdioOf(output: ChildSpec['output']): {
  stdio: ['ignore', 'inherit' | 'pipe' | number, 'inherit' | 'pipe' | number];
  fd?: number;
} {
  if (output === 'inherit' || output === 'pipe') return { stdio: ['ignore', output, output] };
  const fd = openSync(output.file, 'a');
  return { stdio: ['ignore', fd, fd], fd };
}

/** Spawns a child with exactly the given environment. */
export function startChild(spec: ChildSpec): ManagedChild {
  const { stdio, fd } = stdioOf(spec.output);
  const child = spawn(spec.command, [...spec.args], { cwd: spec.cwd, env: spec.env, stdio });
  if (fd !== undefined) closeSync(fd);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(String(code ?? signal)));
    child.once('error', (error) => resolve(`not started (${error.message})`));
  });
  return {
    name: spec.name,
    process: child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
