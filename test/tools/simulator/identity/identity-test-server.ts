import type { AddressInfo } from 'node:net';
import {
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ChannelAccount,
} from 'botbuilder';
import { ClaimsIdentity, type UserTokenClient } from 'botframework-connector';
import * as restify from 'restify';
import { silentLogger } from '../../../../src/logging/logger';
import {
  createAccessTokenAuthority,
  registerIdentityRoutes,
  type AccessTokenAuthority,
  type IdentityUser,
} from '../../../../tools/simulator/identity';

export const TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const BOT_APP_ID = '00000000-0000-0000-0000-00000000000011';
export const CONNECTION = 'GraphConnection';

export const ALEX: IdentityUser = {
  id: '00000000-0000-0000-0000-0000000000020',
  displayName: 'Alex Wilber',
  mail: 'alexw@example.com',
  userPrincipalName: 'alexw@example.com',
};
export const MEGAN: IdentityUser = {
  id: '00000000-0000-0000-0000-0000000000021',
  displayName: 'Megan Bowen',
  mail: 'meganb@example.com',
  userPrincipalName: 'meganb@example.com',
};

const PLAYGROUND_IDS: Record<string, IdentityUser> = { 'user-id-0': ALEX, 'user-id-1': MEGAN };

/** A directory of two people that also knows their Playground user ids. */
export const testDirectory = {
  listUsers: (): IdentityUser[] => [ALEX, MEGAN],
  findUser: (id: string): IdentityUser | undefined =>
    PLAYGROUND_IDS[id] ?? [ALEX, MEGAN].find((user) => user.id === id),
};

/** The identity routes on a real restify server over loopback, with a hand-driven clock. */
export interface IdentityTestServer {
  url: string;
  authority: AccessTokenAuthority;
  advanceClock(ms: number): void;
  now(): number;
  /** botbuilder's own UserTokenClient, built the way the bot builds it (OAuthUrl = the simulator). */
  userTokenClient(): Promise<UserTokenClient>;
  close(): Promise<void>;
}

/**
 * Starts a server with only the identity routes on 127.0.0.1, port 0; with `parsers` (the default)
 * it installs restify's query and body parsers the way the simulator server does.
 */
export async function startIdentityServer(
  options: { parsers?: boolean } = {},
): Promise<IdentityTestServer> {
  let clock = Date.parse('2025-01-06T09:00:00Z');
  const now = (): number => clock;
  const authority = createAccessTokenAuthority({ now, tenantId: TENANT_ID });
  const server = restify.createServer({ handleUncaughtExceptions: false });
  if (options.parsers !== false) {
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
  }
  let url = '';
  registerIdentityRoutes(server, {
    authority,
    directory: testDirectory,
    now,
    tenantId: TENANT_ID,
    publicUrl: () => url,
    logger: silentLogger(),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = new ConfigurationBotFrameworkAuthentication({ OAuthUrl: url, MicrosoftAppId: '' });
  return {
    url,
    authority,
    now,
    advanceClock(ms) {
      clock += ms;
    },
    userTokenClient: () =>
      auth.createUserTokenClient(new ClaimsIdentity([{ type: 'aud', value: BOT_APP_ID }], true)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A Playground-like personal-chat message, by default from `user-id-0` (Alex). */
export function messageFrom(
  from: ChannelAccount = { id: 'user-id-0', name: 'Alex Wilber', aadObjectId: ALEX.id },
): Activity {
  return {
    type: 'message',
    id: 'activity-1',
    channelId: 'msteams',
    serviceUrl: 'http://localhost:56150/_connector',
    from,
    recipient: { id: BOT_APP_ID, name: 'Presence Watch' },
    conversation: {
      id: 'personal-chat-id',
      isGroup: false,
      conversationType: 'personal',
      name: '',
    },
    text: 'hello',
  } as Activity;
}

/** Follows a sign-in link like a person: opens the page, presses Accept, returns the magic code. */
export async function acceptSignIn(signInLink: string): Promise<string> {
  const page = await (await fetch(signInLink)).text();
  const accept = /id="accept"[^>]*formaction="([^"]+)"|formaction="([^"]+)"[^>]*id="accept"/.exec(
    page,
  );
  const action = (accept?.[1] ?? accept?.[2] ?? '').replace(/&amp;/g, '&');
  if (!action) throw new Error('the sign-in page has no Accept button');
  const done = await (await fetch(new URL(action, signInLink), { method: 'POST' })).text();
  const code = /id="magic-code">(\d{6})</.exec(done)?.[1];
  if (!code) throw new Error('the sign-in page showed no magic code');
  return code;
}
