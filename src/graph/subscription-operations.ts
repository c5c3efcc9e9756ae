import { AppError, isAppError } from '../errors/app-error';
import { readAllPages, type GraphCall } from './graph-caller';
import { pathSegment } from './graph-text';
import type { GraphSubscription, SubscriptionRequest } from './graph-types';

/** Subscription calls; each takes the subscribing user's delegated access token first. */
export interface SubscriptionOperations {
  createSubscription(accessToken: string, request: SubscriptionRequest): Promise<GraphSubscription>;
  /** PATCHes a new expiry (Graph treats this as a reauthorization too). */
  renewSubscription(accessToken: string, id: string, expiresAt: Date): Promise<GraphSubscription>;
  reauthorizeSubscription(accessToken: string, id: string): Promise<void>;
  /** Deletes a subscription; true if it existed, false on 404 (already gone counts as success). */
  deleteSubscription(accessToken: string, id: string): Promise<boolean>;
  /** Every subscription of this app visible to the token, across all pages. */
  listSubscriptions(accessToken: string): Promise<GraphSubscription[]>;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AppError('GRAPH_REQUEST_FAILED', `the subscription has no ${name}`);
  }
  return value;
}

function optionalText(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Reads Graph's subscription JSON into a GraphSubscription. */
export function toGraphSubscription(raw: unknown): GraphSubscription {
  const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const expiry = new Date(text(body, 'expirationDateTime'));
  if (Number.isNaN(expiry.getTime())) {
    throw new AppError(
      'GRAPH_REQUEST_FAILED',
      'the subscription has an invalid expirationDateTime',
    );
  }
  return {
    id: text(body, 'id'),
    resource: text(body, 'resource'),
    changeType: text(body, 'changeType'),
    expirationDateTime: expiry,
    notificationUrl: text(body, 'notificationUrl'),
    lifecycleNotificationUrl: optionalText(body, 'lifecycleNotificationUrl'),
    includeResourceData: body.includeResourceData === true,
    encryptionCertificateId: optionalText(body, 'encryptionCertificateId'),
    applicationId: optionalText(body, 'applicationId'),
    creatorId: optionalText(body, 'creatorId'),
  };
}

function subscriptionPath(id: string): string {
  return `/subscriptions/${pathSegment(id)}`;
}

function creationBody(request: SubscriptionRequest): Record<string, unknown> {
  const { expirationDateTime, latestSupportedTlsVersion, ...rest } = request;
  return {
    ...rest,
    expirationDateTime: expirationDateTime.toISOString(),
    ...(latestSupportedTlsVersion ? { latestSupportedTlsVersion } : {}),
  };
}

/** Builds the subscription calls over `call`; `baseUrl` bounds which nextLinks are followed. */
export function subscriptionOperations(call: GraphCall, baseUrl: string): SubscriptionOperations {
  return {
    createSubscription: (token, request) =>
      call(token, 'createSubscription', async (client) =>
        toGraphSubscription(await client.api('/subscriptions').post(creationBody(request))),
      ),
    renewSubscription: (token, id, expiresAt) =>
      call(token, 'renewSubscription', async (client) =>
        toGraphSubscription(
          await client
            .api(subscriptionPath(id))
            .patch({ expirationDateTime: expiresAt.toISOString() }),
        ),
      ),
    reauthorizeSubscription: (token, id) =>
      call(token, 'reauthorizeSubscription', async (client) => {
        await client.api(`${subscriptionPath(id)}/reauthorize`).post({});
      }),
    async deleteSubscription(token, id) {
      try {
        await call(token, 'deleteSubscription', (client) =>
          client.api(subscriptionPath(id)).delete(),
        );
        return true;
      } catch (error) {
        if (isAppError(error, 'GRAPH_NOT_FOUND')) return false;
        throw error;
      }
    },
    listSubscriptions: (token) =>
      call(token, 'listSubscriptions', async (client) =>
        (await readAllPages(client, baseUrl, '/subscriptions')).map(toGraphSubscription),
      ),
  };
}
