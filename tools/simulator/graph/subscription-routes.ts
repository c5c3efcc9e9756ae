import { graphDateTime } from '../graph-date';
import type { SimSubscription } from '../subscriptions/sim-subscription';
import type { SubscriptionService } from '../subscriptions/subscription-service';
import type { GraphRouteDeps } from './graph-route-deps';
import { jsonBody, routeParam } from '../http/request-input';
import { simRoute } from '../http/sim-route';
import { authenticate, requireScope } from './request-auth';

const PRESENCE_SCOPES = ['Presence.Read.All', 'Presence.ReadWrite.All'];

/** The Graph JSON of a subscription. */
export function subscriptionView(subscription: SimSubscription): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: subscription.resource,
    applicationId: subscription.applicationId,
    changeType: subscription.changeType,
    clientState: subscription.clientState ?? null,
    notificationUrl: subscription.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: subscription.lifecycleNotificationUrl ?? null,
    expirationDateTime: graphDateTime(subscription.expiresAt),
    creatorId: subscription.creatorId,
    includeResourceData: subscription.includeResourceData,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: subscription.encryptionCertificate ?? null,
    encryptionCertificateId: subscription.encryptionCertificateId ?? null,
    notificationUrlAppId: null,
  };
}

/** Registers `POST/GET/PATCH/DELETE /subscriptions` and `POST /subscriptions/{id}/reauthorize`. */
export function registerSubscriptionRoutes(
  deps: GraphRouteDeps,
  service: SubscriptionService,
): void {
  const { server, prefix, logger } = deps;
  const entityContext = (): string => `${deps.graphBaseUrl()}/$metadata#subscriptions/$entity`;
  const caller = async (req: Parameters<typeof authenticate>[0]) => {
    const verified = await authenticate(req, deps.verifier);
    requireScope(verified, PRESENCE_SCOPES);
    return verified;
  };

  server.post(
    `${prefix}/subscriptions`,
    simRoute(logger, async (req, res) => {
      const created = await service.create(await caller(req), await jsonBody(req));
      res.send(201, { '@odata.context': entityContext(), ...subscriptionView(created) });
    }),
  );
  server.get(
    `${prefix}/subscriptions`,
    simRoute(logger, async (req, res) => {
      const value = service.list(await caller(req)).map(subscriptionView);
      res.send(200, { '@odata.context': `${deps.graphBaseUrl()}/$metadata#subscriptions`, value });
    }),
  );
  server.get(
    `${prefix}/subscriptions/:id`,
    simRoute(logger, async (req, res) => {
      const found = service.get(await caller(req), routeParam(req, 'id'));
      res.send(200, { '@odata.context': entityContext(), ...subscriptionView(found) });
    }),
  );
  server.patch(
    `${prefix}/subscriptions/:id`,
    simRoute(logger, async (req, res) => {
      const updated = await service.update(
        await caller(req),
        routeParam(req, 'id'),
        await jsonBody(req),
      );
      res.send(200, { '@odata.context': entityContext(), ...subscriptionView(updated) });
    }),
  );
  server.del(
    `${prefix}/subscriptions/:id`,
    simRoute(logger, async (req, res) => {
      service.remove(await caller(req), routeParam(req, 'id'));
      res.send(204);
    }),
  );
  server.post(
    `${prefix}/subscriptions/:id/reauthorize`,
    simRoute(logger, async (req, res) => {
      service.reauthorize(await caller(req), routeParam(req, 'id'));
      res.send(204);
    }),
  );
}
