import type { GraphClient } from '../../src/graph';
import type { RunningSimulator } from '../../tools/simulator/simulator-server';

/** One getPresencesByUserId call the keeper made (simulated times). */
export interface ResyncCall {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly ids: ReadonlySet<string>;
  readonly ok: boolean;
}

/** One successful subscription create: when its answer arrived and whom it covers. */
export interface CreateCall {
  readonly endedAt: number;
  readonly subscriptionId: string;
  readonly ids: ReadonlySet<string>;
}

/** A GraphClient that passes every call on and logs resyncs and creates. */
export interface GraphCallLog {
  readonly graph: GraphClient;
  readonly resyncs: ResyncCall[];
  readonly creates: CreateCall[];
}

/** Wraps `graph` at the edge: the keeper's presence reads and subscription creates are logged. */
export function logGraphCalls(graph: GraphClient, sim: RunningSimulator): GraphCallLog {
  const resyncs: ResyncCall[] = [];
  const creates: CreateCall[] = [];
  const now = (): number => sim.clock.now();
  const lowered = (ids: readonly string[]): Set<string> =>
    new Set(ids.map((id) => id.toLowerCase()));
  const logged: GraphClient = {
    ...graph,
    async getPresencesByUserId(token, ids) {
      const startedAt = now();
      try {
        const presences = await graph.getPresencesByUserId(token, ids);
        resyncs.push({ startedAt, endedAt: now(), ids: lowered(ids), ok: true });
        return presences;
      } catch (error) {
        resyncs.push({ startedAt, endedAt: now(), ids: lowered(ids), ok: false });
        throw error;
      }
    },
    async createSubscription(token, request) {
      const created = await graph.createSubscription(token, request);
      const held = sim.subscriptions().find((s) => s.id === created.id);
      creates.push({
        endedAt: now(),
        subscriptionId: created.id,
        ids: new Set(held?.userIds ?? []),
      });
      return created;
    },
  };
  return { graph: logged, resyncs, creates };
}
