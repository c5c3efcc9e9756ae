import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A conversation member as the Bot Connector's roster returns it. */
export interface RosterMember {
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
}

/** A loopback Bot Connector that answers roster lookups (`TeamsInfo.getMember`). */
export interface FakeConnector {
  readonly url: string;
  /** Every request path it served, in order. */
  readonly requests: string[];
  /** Adds someone to a conversation's roster. */
  addMember(conversationId: string, member: RosterMember): void;
  close(): Promise<void>;
}

/** Starts the connector on port 0; `roster` maps conversation id → its members. */
export async function startFakeConnector(
  roster: Map<string, RosterMember[]>,
): Promise<FakeConnector> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const match = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)/.exec(req.url ?? '');
    const conversation = match ? decodeURIComponent(match[1]!) : '';
    const userId = match ? decodeURIComponent(match[2]!) : '';
    const member = roster.get(conversation)?.find((m) => m.id === userId);
    if (req.method !== 'GET' || !member) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'MemberNotFoundInConversation', message: 'no' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(member));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addMember(conversationId, member) {
      roster.set(conversationId, [...(roster.get(conversationId) ?? []), member]);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
