/** The mutable assignment table the planner fills: who covers whom, with per-watcher load limits. */
export class CoverageState {
  private readonly coveredBy = new Map<string, Set<string>>();
  private readonly covering = new Map<string, Set<string>>();

  constructor(
    availableWatchers: readonly string[],
    readonly maxIdsPerSubscription: number,
  ) {
    for (const watcher of availableWatchers) this.covering.set(watcher, new Set());
  }

  /** How many ids `watcher`'s subscription covers so far. */
  load(watcher: string): number {
    return this.covering.get(watcher)?.size ?? 0;
  }

  /** True when `watcher` can cover one more id. */
  hasRoom(watcher: string): boolean {
    return this.load(watcher) < this.maxIdsPerSubscription;
  }

  /** How many watchers cover `target` so far. */
  coverCount(target: string): number {
    return this.coveredBy.get(target)?.size ?? 0;
  }

  /** True when `watcher` already covers `target`. */
  covers(watcher: string, target: string): boolean {
    return this.covering.get(watcher)?.has(target) ?? false;
  }

  /** The ids `watcher` covers, sorted. */
  sortedTargetsOf(watcher: string): string[] {
    return [...(this.covering.get(watcher) ?? [])].sort();
  }

  /** Records that `watcher` covers `target`. */
  assign(watcher: string, target: string): void {
    this.covering.get(watcher)?.add(target);
    const coverers = this.coveredBy.get(target) ?? new Set<string>();
    coverers.add(watcher);
    this.coveredBy.set(target, coverers);
  }

  /** Removes `target` from `watcher`'s coverage. */
  unassign(watcher: string, target: string): void {
    this.covering.get(watcher)?.delete(target);
    this.coveredBy.get(target)?.delete(watcher);
  }

  /** A copy of the assignments, watchers and their targets in sorted order. */
  assignments(): Map<string, Set<string>> {
    const result = new Map<string, Set<string>>();
    for (const watcher of [...this.covering.keys()].sort()) {
      result.set(watcher, new Set(this.sortedTargetsOf(watcher)));
    }
    return result;
  }
}
