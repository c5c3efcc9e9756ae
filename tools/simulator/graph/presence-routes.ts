import type { Response } from 'restify';
import { GraphError, badRequest, notFound } from '../http/graph-error';
import type { GraphRouteDeps } from './graph-route-deps';
import { jsonBody, routeParam } from '../http/request-input';
import { simRoute } from '../http/sim-route';
import { authenticate, requireScope } from './request-auth';

const READ_ALL = ['Presence.Read.All', 'Presence.ReadWrite.All'];
const READ_OWN = ['Presence.Read', ...READ_ALL];

/** Graph's limit on ids in one getPresencesByUserId call. */
export const MAX_PRESENCE_IDS = 650;

function presenceEntity(deps: GraphRouteDeps, id: string): Record<string, unknown> {
  const state = deps.presence.get(id);
  return {
    id,
    availability: state.availability,
    activity: state.activity,
    statusMessage: null,
    sequenceNumber: state.sequenceNumber,
  };
}

function sendPresence(deps: GraphRouteDeps, res: Response, id: string, context: string): void {
  const user = deps.directory.findUser(id);
  if (!user) throw notFound(`User '${id}' was not found.`, 'NotFound');
  res.send(200, {
    '@odata.context': `${deps.graphBaseUrl()}/$metadata#${context}`,
    ...presenceEntity(deps, user.id),
  });
}

function requestedIds(body: Record<string, unknown>): string[] {
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
    throw badRequest("The request body must contain a non-empty 'ids' array of strings.");
  }
  if (ids.length > MAX_PRESENCE_IDS) {
    throw new GraphError(
      400,
      'BadRequest',
      `The number of ids in the request exceeds the maximum of ${MAX_PRESENCE_IDS}.`,
    );
  }
  return ids as string[];
}

/** Registers the presence reads: per user, `/me`, `/communications/presences/{id}`, and the bulk POST. */
export function registerPresenceRoutes(deps: GraphRouteDeps): void {
  const { server, prefix, logger } = deps;
  server.get(
    `${prefix}/users/:id/presence`,
    simRoute(logger, async (req, res) => {
      requireScope(await authenticate(req, deps.verifier), READ_ALL);
      const id = routeParam(req, 'id');
      sendPresence(deps, res, id, `users('${id}')/presence/$entity`);
    }),
  );
  server.get(
    `${prefix}/me/presence`,
    simRoute(logger, async (req, res) => {
      const caller = await authenticate(req, deps.verifier);
      requireScope(caller, READ_OWN);
      sendPresence(deps, res, caller.userId, `users('${caller.userId}')/presence/$entity`);
    }),
  );
  server.get(
    `${prefix}/communications/presences/:id`,
    simRoute(logger, async (req, res) => {
      requireScope(await authenticate(req, deps.verifier), READ_ALL);
      sendPresence(deps, res, routeParam(req, 'id'), 'communications/presences/$entity');
    }),
  );
  server.post(
    `${prefix}/communications/getPresencesByUserId`,
    simRoute(logger, async (req, res) => {
      requireScope(await authenticate(req, deps.verifier), READ_ALL);
      const ids = requestedIds(await jsonBody(req));
      const value = [...new Set(ids.map((id) => id.toLowerCase()))].map((key) => {
        const id = ids.find((candidate) => candidate.toLowerCase() === key) as string;
        return presenceEntity(deps, deps.directory.findUser(id)?.id ?? id);
      });
      res.send(200, {
        '@odata.context': `${deps.graphBaseUrl()}/$metadata#Collection(microsoft.graph.presence)`,
        value,
      });
    }),
  );
}
