import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** Who this process is: its host, its pid and a random id drawn once per boot. */
export interface ProcessIdentity {
  readonly hostname: string;
  readonly pid: number;
  readonly bootId: string;
}

/** The roles that hold leases, each with its own owner name derived from the process identity. */
export type LeaseRole = 'inbox' | 'alerts' | 'keeper' | 'msal';

/** Tells whether a pid names a running process. */
export type PidProbe = (pid: number) => boolean;

const SEGMENT = /^[^/\s]+$/;
const PID = /^[1-9]\d{0,9}$/;
const MAX_PID = 2 ** 31 - 1;

/** This process's identity: the host name, `process.pid` and a fresh random boot id. */
export function createProcessIdentity(
  hostname: string = os.hostname(),
  pid: number = process.pid,
  bootId: string = randomUUID(),
): ProcessIdentity {
  return { hostname, pid, bootId };
}

/** The identity as text: `<hostname>/<pid>/<boot id>`. */
export function formatProcessIdentity(identity: ProcessIdentity): string {
  return `${identity.hostname}/${identity.pid}/${identity.bootId}`;
}

/** The lease owner name of one role of the process: `<hostname>/<pid>/<boot id>/<role>`. */
export function leaseOwnerOf(identity: ProcessIdentity, role: LeaseRole): string {
  return `${formatProcessIdentity(identity)}/${role}`;
}

/**
 * Reads the process identity out of a lease owner (`<hostname>/<pid>/<boot id>` with an optional
 * `/<role>`); undefined for anything else, such as the random owners of older versions.
 */
export function parseLeaseOwner(owner: string): ProcessIdentity | undefined {
  const parts = owner.split('/');
  if (parts.length < 3 || parts.length > 4 || !parts.every((part) => SEGMENT.test(part))) {
    return undefined;
  }
  const [hostname, pid, bootId] = parts as [string, string, string];
  if (!PID.test(pid)) return undefined;
  const number = Number(pid);
  return number <= MAX_PID ? { hostname, pid: number, bootId } : undefined;
}

/** Whether a process with this pid exists (a process we may not signal still exists). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * A predicate telling which lease owners are provably dead from where `self` stands: owners on the
 * same host whose pid is gone, or whose pid is ours under another boot id (a restart that got the
 * same pid, as pid 1 in a container). Other hosts, live pids and unreadable owners are never dead.
 */
export function deadOwnerPredicate(
  self: ProcessIdentity,
  pidAlive: PidProbe = isPidAlive,
): (owner: string) => boolean {
  return (owner) => {
    const holder = parseLeaseOwner(owner);
    if (!holder || holder.hostname !== self.hostname) return false;
    if (holder.pid === self.pid) return holder.bootId !== self.bootId;
    return !pidAlive(holder.pid);
  };
}
