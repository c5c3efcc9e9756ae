/** People of one tenant whose presence must be read again, and whose tokens to try first. */
export interface ResyncRequest {
  readonly tenantId: string;
  readonly ids: Set<string>;
  readonly preferredOwners: Set<string>;
  /** Not before this time (after a failed attempt). */
  notBefore: number;
  failures: number;
}

/** Pending resyncs, merged per tenant so one read covers every gap reported since the last one. */
export class ResyncQueue {
  private readonly byTenant = new Map<string, ResyncRequest>();

  /**
   * Adds people to the tenant's pending resync, due at `notBefore` (at once by default) or when the
   * pending one is due, whichever comes first (a request waiting after a failure keeps its time).
   */
  add(tenantId: string, ids: Iterable<string>, owner?: string, notBefore = 0): void {
    const pending = this.byTenant.get(tenantId);
    const request = pending ?? {
      tenantId,
      ids: new Set<string>(),
      preferredOwners: new Set<string>(),
      notBefore,
      failures: 0,
    };
    if (request.failures === 0) request.notBefore = Math.min(request.notBefore, notBefore);
    for (const id of ids) request.ids.add(id.toLowerCase());
    if (owner !== undefined) request.preferredOwners.add(owner.toLowerCase());
    if (request.ids.size > 0) this.byTenant.set(tenantId, request);
  }

  /** Removes and returns the requests due at `now`. */
  takeDue(now: number): ResyncRequest[] {
    const due = [...this.byTenant.values()].filter((request) => request.notBefore <= now);
    for (const request of due) this.byTenant.delete(request.tenantId);
    return due;
  }

  /** Puts a failed request back, merged with anything added since, due no earlier than `at`. */
  retryLater(request: ResyncRequest, at: number): void {
    const pending = this.byTenant.get(request.tenantId);
    const merged: ResyncRequest = {
      ...request,
      ids: new Set([...request.ids, ...(pending?.ids ?? [])]),
      preferredOwners: new Set([...request.preferredOwners, ...(pending?.preferredOwners ?? [])]),
      notBefore: at,
      failures: request.failures + 1,
    };
    this.byTenant.set(request.tenantId, merged);
  }

  /** Makes the tenant's pending resync due by `at`, even one waiting after a failure. */
  dueBy(tenantId: string, at: number): void {
    const pending = this.byTenant.get(tenantId);
    if (pending) pending.notBefore = Math.min(pending.notBefore, at);
  }

  /** How many tenants have a resync pending. */
  get size(): number {
    return this.byTenant.size;
  }
}
