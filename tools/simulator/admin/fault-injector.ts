import type { Next, Request, RequestHandler, Response } from 'restify';
import { GraphError, sendGraphError } from '../http/graph-error';
import type { RandomSource } from '../seeded-random';
import type { SimCounters } from '../sim-counters';
import {
  deliveryCopyDelays,
  mergedDeliveryFault,
  NO_DELIVERY_FAULT,
  type DeliveryFault,
} from './delivery-faults';

/** Faults injected into one route (shares are 0 to 1). */
export interface RouteFault {
  throttleShare?: number;
  retryAfterSeconds?: number;
  unavailableShare?: number;
  /** Simulated ms every matching call is held back (real ms = latencyMs / clock speed). */
  latencyMs?: number;
}

/** Injects faults into Graph routes and webhook deliveries. */
export interface FaultInjector {
  /** Sets the faults of `route` (`GET /v1.0/users/:id`, a path such as `/v1.0/users`, or `*`). */
  setRouteFault(route: string, fault: RouteFault): void;
  clearFaults(): void;
  setDeliveryDropShare(share: number): void;
  /** Changes the given settings of delivery misbehaviour (drop, delay, duplicate). */
  setDeliveryFault(changes: Partial<DeliveryFault>): void;
  shouldDropDelivery(): boolean;
  /** Simulated delays of the copies of one notification to send (see `deliveryCopyDelays`). */
  deliveryCopyDelays(): number[];
  describe(): {
    routes: Record<string, RouteFault>;
    deliveryDropShare: number;
    delivery: DeliveryFault;
  };
  /** restify middleware: counts the call and applies the matching fault (runs after routing). */
  middleware(routePrefix: string): RequestHandler;
}

function checkedShare(share: number | undefined): number {
  if (share === undefined) return 0;
  if (!Number.isFinite(share) || share < 0 || share > 1)
    throw new RangeError('a share must be between 0 and 1');
  return share;
}

/**
 * Builds a fault injector with no faults; `random` makes the shares reproducible and `clockSpeed`
 * (simulated ms per real ms) turns a simulated latency into a real delay.
 */
export function createFaultInjector(
  random: RandomSource,
  counters: SimCounters,
  clockSpeed: () => number,
): FaultInjector {
  const faults = new Map<string, RouteFault>();
  let delivery = NO_DELIVERY_FAULT;

  const faultFor = (method: string, path: string): RouteFault | undefined =>
    faults.get(`${method} ${path}`) ?? faults.get(path) ?? faults.get('*');

  const apply = (fault: RouteFault, res: Response, next: Next): void => {
    if (random() < (fault.throttleShare ?? 0)) {
      counters.increment('faults.throttled');
      const retryAfter = String(fault.retryAfterSeconds ?? 1);
      sendGraphError(
        res,
        new GraphError(429, 'TooManyRequests', 'Too many requests.', { 'Retry-After': retryAfter }),
      );
      return next(false);
    }
    if (random() < (fault.unavailableShare ?? 0)) {
      counters.increment('faults.unavailable');
      sendGraphError(
        res,
        new GraphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.', {
          'Retry-After': '1',
        }),
      );
      return next(false);
    }
    next();
  };

  return {
    setRouteFault(route, fault) {
      checkedShare(fault.throttleShare);
      checkedShare(fault.unavailableShare);
      faults.set(route, { ...fault });
    },
    clearFaults() {
      faults.clear();
      delivery = NO_DELIVERY_FAULT;
    },
    setDeliveryDropShare(share) {
      delivery = mergedDeliveryFault(delivery, { dropShare: share });
    },
    setDeliveryFault(changes) {
      delivery = mergedDeliveryFault(delivery, changes);
    },
    shouldDropDelivery: () => delivery.dropShare > 0 && random() < delivery.dropShare,
    deliveryCopyDelays: () => deliveryCopyDelays(delivery, random),
    describe: () => ({
      routes: Object.fromEntries(faults),
      deliveryDropShare: delivery.dropShare,
      delivery: { ...delivery },
    }),
    middleware(routePrefix) {
      return (req: Request, res: Response, next: Next) => {
        const route = req.getRoute();
        const path = typeof route?.path === 'string' ? route.path : req.path();
        if (!path.startsWith(routePrefix)) return next();
        counters.countRoute(`${req.method} ${path}`);
        const fault = faultFor(req.method ?? 'GET', path);
        if (!fault) return next();
        const latency = fault.latencyMs ?? 0;
        if (latency > 0) setTimeout(() => apply(fault, res, next), latency / clockSpeed());
        else apply(fault, res, next);
      };
    },
  };
}
