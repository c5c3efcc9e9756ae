import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logging/logger';
import type { StoreExecutor } from '../store/database-schema';
import { countSubscriptionHealth } from '../store/subscription-health';
import { storeAnswers } from './store-probe';
import type { WorkerHeartbeats } from './worker-heartbeats';

/** What the health routes read, and where readiness draws the line. */
export interface HealthRouteDeps {
  readonly db: StoreExecutor;
  readonly heartbeats: WorkerHeartbeats;
  readonly logger: Logger;
  /** How long the store may take to answer `select 1` (default 2 s). */
  readonly storeTimeoutMs?: number;
  /** Readiness fails when at least this share of the subscriptions is failing (default 0.5)... */
  readonly failingShare?: number;
  /** ...and there are at least this many subscriptions (default 4), so one bad user is not "en masse". */
  readonly minSubscriptions?: number;
}

interface Liveness {
  readonly healthy: boolean;
  readonly body: Record<string, unknown>;
}

/**
 * Registers `/healthz` (liveness, the App Service health check: the store answers and every
 * worker loop runs) and `/readyz` (readiness: healthy, and the Graph subscriptions are not failing
 * en masse). Both answer 200 or 503 with a small JSON body and are never cached.
 */
export function registerHealthRoutes(server: Server, deps: HealthRouteDeps): void {
  const log = deps.logger.child({ module: 'health' });
  server.get('/healthz', async (_req: Request, res: Response) => {
    const liveness = await checkLiveness(deps);
    if (!liveness.healthy) log.warn(liveness.body, 'health check failed');
    reply(res, liveness.healthy, liveness.body);
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    const liveness = await checkLiveness(deps);
    if (!liveness.healthy) return reply(res, false, { ...liveness.body, status: 'not-ready' });
    const counts = await countSubscriptionHealth(deps.db).catch(() => undefined);
    if (!counts) return reply(res, false, { status: 'not-ready', store: 'unreachable' });
    const ready =
      counts.total < (deps.minSubscriptions ?? 4) ||
      counts.failing < counts.total * (deps.failingShare ?? 0.5);
    if (!ready) log.warn({ subscriptions: counts }, 'readiness failed: subscriptions failing');
    reply(res, ready, { status: ready ? 'ready' : 'not-ready', subscriptions: counts });
  });
}

async function checkLiveness(deps: HealthRouteDeps): Promise<Liveness> {
  const store = await storeAnswers(deps.db, deps.storeTimeoutMs ?? 2_000);
  const workers = deps.heartbeats.statuses();
  const stalled = workers.filter((worker) => worker.state === 'stalled');
  const healthy = store && stalled.length === 0;
  return {
    healthy,
    body: {
      status: healthy ? 'ok' : 'unhealthy',
      store: store ? 'ok' : 'unreachable',
      workers: Object.fromEntries(workers.map((worker) => [worker.name, worker.state])),
    },
  };
}

function reply(res: Response, ok: boolean, body: Record<string, unknown>): void {
  res.header('Cache-Control', 'no-store');
  res.send(ok ? 200 : 503, body);
}
