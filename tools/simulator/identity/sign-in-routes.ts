import type { Request, Response, Server } from 'restify';
import type { IdentityContext } from './identity-context';
import { queryOf } from '../http/request-input';
import { sendHtml } from '../http/responses';
import { simRoute } from '../http/sim-route';
import {
  accountPickerPage,
  cancelledPage,
  consentPage,
  magicCodePage,
  problemPage,
} from './sign-in-page';

function accountQuery(state: string, account: string | undefined): string {
  const picked = account ? `&account=${encodeURIComponent(account)}` : '';
  return `state=${encodeURIComponent(state)}${picked}`;
}

function showConsent(ctx: IdentityContext, req: Request, res: Response): void {
  const query = queryOf(req);
  const state = query.get('state') ?? '';
  const account = query.get('account') ?? undefined;
  const request = ctx.signIn.describe(state, account);
  if ('problem' in request) return sendHtml(res, 400, problemPage(request.problem));
  sendHtml(
    res,
    200,
    consentPage(
      request,
      (decision) => `/signin/consent?${accountQuery(state, account)}&decision=${decision}`,
      `/signin/accounts?${accountQuery(state, undefined)}`,
    ),
  );
}

function showAccounts(ctx: IdentityContext, req: Request, res: Response): void {
  const state = queryOf(req).get('state') ?? '';
  const request = ctx.signIn.describe(state);
  if ('problem' in request) return sendHtml(res, 400, problemPage(request.problem));
  const users = ctx.directory.listUsers();
  const idOf = new Map(users.map((user) => [user.userPrincipalName, user.id]));
  sendHtml(
    res,
    200,
    accountPickerPage(users, (upn) => `/signin?${accountQuery(state, idOf.get(upn))}`),
  );
}

async function decide(ctx: IdentityContext, req: Request, res: Response): Promise<void> {
  const query = queryOf(req);
  const request = ctx.signIn.describe(query.get('state') ?? '', query.get('account') ?? undefined);
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
  server.get(
    '/signin/accounts',
    simRoute(ctx.logger, (req, res) => showAccounts(ctx, req, res)),
  );
  server.post(
    '/signin/consent',
    simRoute(ctx.logger, (req, res) => decide(ctx, req, res)),
  );
}
