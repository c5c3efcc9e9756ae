import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import { optionalJsonBody } from '../http/request-input';
import { sendError, sendJson } from '../http/responses';
import { simRoute } from '../http/sim-route';
import { PRESENCE_WATCH_SCOPES, type AccessTokenAuthority, type SimDirectory } from '../identity';
import type { AppRegistry } from './app-registrations';

/** What the Entra admin routes act on. */
export interface EntraAdminDeps {
  apps: AppRegistry;
  authority: AccessTokenAuthority;
  directory: SimDirectory;
  tenantId: string;
  /** The local CA (PEM) of the TLS listener. */
  caCertificatePem: string;
  logger: Logger;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

async function registerApp(deps: EntraAdminDeps, req: Request, res: Response): Promise<void> {
  const body = await optionalJsonBody(req);
  const clientSecrets = strings(body.clientSecrets);
  const certificatePems = strings(body.certificatePems);
  const redirectUris = strings(body.redirectUris);
  try {
    const app = deps.apps.register({
      clientId: String(req.params.appId),
      ...(clientSecrets ? { clientSecrets } : {}),
      ...(certificatePems ? { certificatePems } : {}),
      ...(redirectUris ? { redirectUris } : {}),
    });
    sendJson(res, 200, {
      clientId: app.clientId,
      redirectUris: app.redirectUris,
      certificates: app.certificates.length,
    });
  } catch {
    sendError(res, 400, 'BadArgument', 'certificatePems must be PEM X.509 certificates.');
  }
}

async function grantConsent(deps: EntraAdminDeps, req: Request, res: Response): Promise<void> {
  const body = await optionalJsonBody(req);
  const user = typeof body.userId === 'string' ? deps.directory.findUser(body.userId) : undefined;
  if (!user || typeof body.appId !== 'string') {
    return sendError(res, 400, 'BadArgument', 'A known userId and an appId are required.');
  }
  const scopes = strings(body.scopes) ?? [...PRESENCE_WATCH_SCOPES];
  deps.authority.recordConsent({
    userId: user.id,
    tenantId: deps.tenantId,
    appId: body.appId,
    scopes,
  });
  sendJson(res, 201, { userId: user.id, appId: body.appId, scopes });
}

async function revokeSessions(deps: EntraAdminDeps, req: Request, res: Response): Promise<void> {
  const user = deps.directory.findUser(String(req.params.userId));
  if (!user) return sendError(res, 404, 'NotFound', 'No such user.');
  deps.authority.revokeRefreshTokens(user.id);
  deps.logger.info({ userId: user.id }, 'refresh tokens revoked by admin');
  res.send(204);
}

/**
 * Mounts the Entra admin API: `GET /_sim/identity/ca.pem` (the CA to trust), `PUT /_sim/identity/apps/:appId` (register an app: secrets,
 * certificates, redirect URIs), `POST /_sim/identity/consents` (a user consents to an app) and
 * `POST /_sim/identity/users/:userId/revoke-sessions` (every refresh token of the user dies).
 */
export function registerEntraAdminRoutes(server: Server, deps: EntraAdminDeps): void {
  const route = (handler: (req: Request, res: Response) => Promise<void>) =>
    simRoute(deps.logger, handler);
  server.get(
    '/_sim/identity/ca.pem',
    route(async (_req, res) => {
      res.setHeader('Content-Type', 'application/x-pem-file');
      res.sendRaw(200, deps.caCertificatePem);
    }),
  );
  server.put(
    '/_sim/identity/apps/:appId',
    route((req, res) => registerApp(deps, req, res)),
  );
  server.post(
    '/_sim/identity/consents',
    route((req, res) => grantConsent(deps, req, res)),
  );
  server.post(
    '/_sim/identity/users/:userId/revoke-sessions',
    route((req, res) => revokeSessions(deps, req, res)),
  );
}
