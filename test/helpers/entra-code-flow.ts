import http from 'node:http';
import https from 'node:https';

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
}

function request(url: string, method: 'GET' | 'POST', ca: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = new URL(url).protocol === 'http:' ? http : https;
    const sent = client.request(url, { method, ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          location: response.headers.location,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

/**
 * Follows an msal-mode sign-in link as a browser would: the bot's start route redirects to the
 * simulated Entra (TLS, trusting only its local CA `caPem`), the user presses Accept on the consent
 * page (picking `account`, a principal name, when Entra asks who signs in), Entra redirects to the
 * bot's callback. Resolves with the callback page's status and text.
 */
export async function signInThroughEntra(
  link: string,
  caPem: string,
  account?: string,
): Promise<{ status: number; text: string }> {
  const started = await fetch(link, { redirect: 'manual' });
  const authorize = started.headers.get('location');
  if (started.status !== 302 || !authorize)
    throw new Error(`no redirect to Entra: ${started.status}`);
  let page = await request(authorize, 'GET', caPem);
  const picked = [...page.body.matchAll(/href="([^"]*)"/g)]
    .map((match) => new URL((match[1] ?? '').replace(/&amp;/g, '&'), authorize))
    .find((url) => url.searchParams.get('login_hint') === account);
  if (picked) page = await request(picked.toString(), 'GET', caPem);
  const action = /formaction="([^"]*decision=accept)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !action)
    throw new Error(`Entra showed no Accept button: ${page.body}`);
  const decided = await request(
    new URL(action.replace(/&amp;/g, '&'), authorize).toString(),
    'POST',
    caPem,
  );
  if (decided.status !== 302 || !decided.location) {
    throw new Error(`Entra did not redirect back: ${decided.status} ${decided.body}`);
  }
  const callback = await fetch(decided.location);
  return { status: callback.status, text: await callback.text() };
}
