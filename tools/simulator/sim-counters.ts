/** Named counters the admin API reports. */
export interface SimCounters {
  increment(name: string, by?: number): void;
  /** Counts one call of a route, e.g. `GET /v1.0/users/:id`. */
  countRoute(route: string): void;
  get(name: string): number;
  snapshot(): { counters: Record<string, number>; routes: Record<string, number> };
}

/** Builds an empty counter set. */
export function createSimCounters(): SimCounters {
  const counters = new Map<string, number>();
  const routes = new Map<string, number>();
  return {
    increment: (name, by = 1) => void counters.set(name, (counters.get(name) ?? 0) + by),
    countRoute: (route) => void routes.set(route, (routes.get(route) ?? 0) + 1),
    get: (name) => counters.get(name) ?? 0,
    snapshot: () => ({
      counters: Object.fromEntries(counters),
      routes: Object.fromEntries(routes),
    }),
  };
}
