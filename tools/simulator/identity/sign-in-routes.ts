import type { Request, Response, Server } from 'restify';
import type { IdentityContext } from './identity-context';
import { queryOf } from '../http/request-input';
import { sendHtml } from '../http/responses';
import { simRoute } from '../http/sim-route';
import { cancelledPage, consentPage, magicCodePage, problemPage } from './sign-in-page';

function showConsent(ctx: IdentityContext, req: Request, res: Response): void {
  const state = queryOf(req).get('state') ?? '';
  const request = ctx.signIn.describe(state);
  if ('problem' in request) return sendHtml(res, 400, problemPage(request.problem));
  sendHtml(
    res,
    200,
    consentPage(
      request,
      (decision) => `/signin/consent?state=${encodeURIComponent(state)}&decision=${decision}`,
    ),
  );
}

async function decide(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  const query = queryOf(req);
  const request = ctx.signIn.describe(query.get('state') ?? '');
  if ('problem' in request) return sendHtml(res, 400, problemPage(request.problem));
  if (query.get('decision') !== 'accept') {
    ctx.logger.info({ userId: request.user.id }, 'sign-in cancelled');
    return sendHtml(res, 200, cancelledPage());
  }
  const code = await ctx.signIn.accept(request);
  ctx.logger.info({ userId: request.user.id, appId: request.appId }, 'consent granted');
  sendHtml(res, 200, magicCodePage(code));
}

/** Mounts the sign-in page (`GET /signin?state=`) and its Accept/Cancel target (`POST /signin/consent`). */
export function registerSignInRoutes(server: Server, ctx: IdentityContext): void {
  server.get(
    '/signin',
    simRoute(ctx.logger, (req, res) => showConsent(ctx, req, res)),
  );
  server.post(
    '/signin/consent',
    simRoute(ctx.logger, (req, res) => decide(ctx, req, res)),
  );
}
