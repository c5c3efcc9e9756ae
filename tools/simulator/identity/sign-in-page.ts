import type { SignInRequest } from './sign-in-flow';

/** The name the consent page gives the app asking for access. */
export const APP_DISPLAY_NAME = 'Presence Watch';

const PERMISSION_DESCRIPTIONS: Record<string, string> = {
  'Presence.Read.All': 'Read presence information of all users in your organization',
  'User.ReadBasic.All': "Read all users' basic profiles",
};

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f3f2f1;margin:0;padding:40px 16px;color:#242424}
main{max-width:440px;margin:0 auto;background:#fff;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:22px;font-weight:600;margin:0 0 16px}
.who{color:#616161;margin-bottom:20px}
ul{padding-left:20px}
.actions{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}
button{font-size:15px;padding:6px 20px;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
.code{font-size:36px;letter-spacing:8px;font-weight:600;text-align:center;margin:24px 0;font-family:Consolas,monospace}
</style>
</head>
<body><main>
${body}
</main></body>
</html>`;
}

/** Who is asked to consent to what: the part of a sign-in request the consent page shows. */
export type ConsentRequest = Pick<SignInRequest, 'user' | 'appId' | 'scopes'>;

/**
 * The consent page: who is signing in, which app, which permissions, Accept and Cancel (posting to
 * `actionFor(decision)`), and a "Use another account" link to `otherAccount` when given.
 */
export function consentPage(
  request: ConsentRequest,
  actionFor: (decision: 'accept' | 'cancel') => string,
  otherAccount?: string,
): string {
  const action = (decision: 'accept' | 'cancel'): string => escapeHtml(actionFor(decision));
  const other = otherAccount
    ? ` · <a id="other-account" href="${escapeHtml(otherAccount)}">Use another account</a>`
    : '';
  const permissions = request.scopes
    .map(
      (scope) =>
        `<li><strong>${escapeHtml(scope)}</strong>: ${escapeHtml(PERMISSION_DESCRIPTIONS[scope] ?? scope)}</li>`,
    )
    .join('\n');
  return page(
    'Permissions requested',
    `<div class="who" id="signed-in-user">Signed in as <strong>${escapeHtml(request.user.displayName)}</strong> (${escapeHtml(request.user.userPrincipalName)})${other}</div>
<h1>Permissions requested</h1>
<p><strong id="app-name">${escapeHtml(APP_DISPLAY_NAME)}</strong> <span class="who">(app ${escapeHtml(request.appId || 'unknown')})</span> would like to:</p>
<ul id="permissions">
${permissions}
</ul>
<p>Accepting lets this app use the data above on your behalf, also while you are away, until you revoke it.</p>
<form method="post">
<div class="actions">
<button type="submit" id="cancel" formaction="${action('cancel')}">Cancel</button>
<button type="submit" id="accept" class="primary" formaction="${action('accept')}">Accept</button>
</div>
</form>`,
  );
}

/** The page after consent: the magic code to paste into the chat. */
export function magicCodePage(code: string): string {
  return page(
    'Sign-in complete',
    `<h1>You're signed in</h1>
<p>To finish, copy this code and paste it into your chat with ${escapeHtml(APP_DISPLAY_NAME)} as a message of its own (in a group chat or channel, @mention ${escapeHtml(APP_DISPLAY_NAME)} with it).</p>
<div class="code" id="magic-code">${escapeHtml(code)}</div>
<p>The code works once and expires in 10 minutes. You can close this window afterwards.</p>`,
  );
}

/** Someone who can be picked on the account picker. */
export interface PickableAccount {
  displayName: string;
  userPrincipalName: string;
}

/** Entra's "Pick an account" page: one link a person, to `hrefFor(principal name)`. */
export function accountPickerPage(
  accounts: readonly PickableAccount[],
  hrefFor: (userPrincipalName: string) => string,
): string {
  const items = accounts
    .map(
      (account) =>
        `<li><a href="${escapeHtml(hrefFor(account.userPrincipalName))}">${escapeHtml(account.displayName)}</a> <span class="who">${escapeHtml(account.userPrincipalName)}</span></li>`,
    )
    .join('\n');
  return page(
    'Pick an account',
    `<h1>Pick an account</h1><p>Who is signing in to ${escapeHtml(APP_DISPLAY_NAME)}?</p><ul id="accounts">\n${items}\n</ul>`,
  );
}

/** The page after Cancel. */
export function cancelledPage(): string {
  return page(
    'Sign-in cancelled',
    `<h1>Sign-in cancelled</h1><p id="cancelled">No permissions were granted. You can close this window.</p>`,
  );
}

/** The page for a sign-in request that cannot go ahead. */
export function problemPage(problem: string): string {
  return page(
    'Sign-in failed',
    `<h1>Sign-in failed</h1><p id="problem">${escapeHtml(problem)}</p>`,
  );
}
