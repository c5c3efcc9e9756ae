import type { Request, Server } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import type { LifecycleEvent } from '../delivery/notification-items';
import { badRequest, notFound } from '../http/graph-error';
import { jsonBody, routeParam } from '../http/request-input';
import { simRoute } from '../http/sim-route';
import { subscriptionView } from '../graph/subscription-routes';
import type { DeliveryFault } from './delivery-faults';
import type { RouteFault } from './fault-injector';
import type { SimulatorControl } from './simulator-control';

const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = [
  'reauthorizationRequired',
  'subscriptionRemoved',
  'missed',
];

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`${name} is required.`);
  return value;
}

function optionalNumber(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw badRequest(`${name} must be a non-negative number.`);
  return value;
}

function routeFault(body: Record<string, unknown>): RouteFault {
  const fault: RouteFault = {};
  for (const name of [
    'throttleShare',
    'retryAfterSeconds',
    'unavailableShare',
    'latencyMs',
  ] as const) {
    const value = optionalNumber(body, name);
    if (value !== undefined) fault[name] = value;
  }
  return fault;
}

function deliveryFault(body: Record<string, unknown>): Partial<DeliveryFault> {
  const fault: Partial<DeliveryFault> = {};
  for (const name of [
    'dropShare',
    'delayShare',
    'duplicateShare',
    'minDelayMs',
    'maxDelayMs',
  ] as const) {
    const value = optionalNumber(body, name);
    if (value !== undefined) fault[name] = value;
  }
  return fault;
}

function lifecycleEvent(body: Record<string, unknown>): LifecycleEvent {
  const event = text(body, 'event');
  const known = LIFECYCLE_EVENTS.find((name) => name === event);
  if (!known) throw badRequest(`event must be one of ${LIFECYCLE_EVENTS.join(', ')}.`);
  return known;
}

function guarded<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message);
    throw error;
  }
}

/** Registers the admin API under `/_sim/` (presence, lifecycle, faults, counters, clock); consent lives under `/_sim/identity/`. */
export function registerAdminRoutes(
  server: Server,
  control: SimulatorControl,
  info: () => object,
  logger: Logger,
): void {
  const route = (handler: (req: Request) => Promise<[number, unknown]> | [number, unknown]) =>
    simRoute(logger, async (req, res) => {
      const [status, body] = await handler(req);
      res.send(status, body);
    });

  server.get(
    '/_sim/info',
    route(() => [200, info()]),
  );
  server.get(
    '/_sim/counters',
    route(() => [200, control.counters()]),
  );
  server.get(
    '/_sim/subscriptions',
    route(() => [200, { value: control.subscriptions().map(subscriptionView) }]),
  );
  server.get(
    '/_sim/presence/:userId',
    route((req) => [200, control.getPresence(routeParam(req, 'userId'))]),
  );
  server.put(
    '/_sim/presence/:userId',
    route(async (req) => {
      const body = await jsonBody(req);
      const userId = routeParam(req, 'userId');
      const changed = control.setPresence(userId, {
        availability: text(body, 'availability'),
        activity: text(body, 'activity'),
      });
      return [200, { ...control.getPresence(userId), changed }];
    }),
  );
  server.post(
    '/_sim/subscriptions/:id/lifecycle',
    route(async (req) => {
      control.triggerLifecycle(routeParam(req, 'id'), lifecycleEvent(await jsonBody(req)));
      return [202, { queued: true }];
    }),
  );
  server.del(
    '/_sim/subscriptions/:id',
    route((req) => {
      const id = routeParam(req, 'id');
      if (!control.loseSubscription(id)) throw notFound(`Subscription '${id}' was not found.`);
      return [204, undefined];
    }),
  );
  server.get(
    '/_sim/faults',
    route(() => [200, control.faults.describe()]),
  );
  server.put(
    '/_sim/faults',
    route(async (req) => {
      const body = await jsonBody(req);
      guarded(() => control.faults.setRouteFault(text(body, 'route'), routeFault(body)));
      return [200, control.faults.describe()];
    }),
  );
  server.put(
    '/_sim/faults/delivery',
    route(async (req) => {
      const fault = deliveryFault(await jsonBody(req));
      guarded(() => control.faults.setDeliveryFault(fault));
      return [200, control.faults.describe()];
    }),
  );
  server.del(
    '/_sim/faults',
    route(() => {
      control.faults.clearFaults();
      return [200, control.faults.describe()];
    }),
  );
  const clockView = () => ({
    now: new Date(control.clock.now()).toISOString(),
    speed: control.clock.speed(),
  });
  server.get(
    '/_sim/clock',
    route(() => [200, clockView()]),
  );
  server.put(
    '/_sim/clock',
    route(async (req) => {
      const speed = optionalNumber(await jsonBody(req), 'speed') ?? 1;
      guarded(() => control.clock.setSpeed(speed));
      return [200, clockView()];
    }),
  );
  server.post(
    '/_sim/clock/advance',
    route(async (req) => {
      const seconds = optionalNumber(await jsonBody(req), 'seconds') ?? 0;
      guarded(() => control.clock.advance(seconds * 1000));
      return [200, clockView()];
    }),
  );
}
