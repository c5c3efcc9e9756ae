import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Inbox counts and resource use reported by the receiver process. */
export interface ReceiverStats {
  pending: number;
  done: number;
  rejected: number;
  events: number;
  maxRssKb: number;
}

/** The receiver's `process.memoryUsage()` in bytes, after a full GC when it could run one. */
export interface ReceiverMemory {
  collected: boolean;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** A receiver running in its own process, as in production. */
export interface ReceiverHandle {
  url: string;
  /** The receiver process's id (e.g. to read its memory from /proc). */
  pid: number;
  stats(): Promise<ReceiverStats>;
  /** Its memory after a forced full GC (started with `exposeGc`), else as it stands. */
  memory(): Promise<ReceiverMemory>;
  waitUntilSettled(total: number, timeoutMs: number): Promise<ReceiverStats>;
  stop(): Promise<void>;
}

/** How to fork the receiver: `quiet` drops its log output (stdout); stderr stays visible. */
export interface ReceiverOptions {
  quiet?: boolean;
  /** Starts it with `--expose-gc`, so `memory()` measures the heap after a full collection. */
  exposeGc?: boolean;
}

/** Forks the bench receiver with the given environment and waits until it listens. */
export function startReceiver(
  env: Record<string, string>,
  options: ReceiverOptions = {},
): Promise<ReceiverHandle> {
  const child = fork(path.join(__dirname, 'receiver-process.ts'), [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
    execArgv: ['--require', 'tsx/cjs', ...(options.exposeGc ? ['--expose-gc'] : [])],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
    child.once('message', (message: { type: string; port: number }) => {
      if (message.type === 'ready')
        resolve(handleOf(child, `http://127.0.0.1:${message.port}/api/notifications`));
    });
  });
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { type: string } & T): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

function handleOf(child: ChildProcess, url: string): ReceiverHandle {
  const stats = (): Promise<ReceiverStats> => ask<ReceiverStats>(child, 'stats');
  return {
    url,
    pid: child.pid ?? 0,
    stats,
    memory: () => ask<ReceiverMemory>(child, 'memory'),
    async waitUntilSettled(total, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await stats();
        if (current.done + current.rejected >= total || Date.now() > deadline) return current;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}
