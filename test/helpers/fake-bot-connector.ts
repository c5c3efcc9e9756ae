import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom, seedFromText, type RandomSource } from '../../tools/simulator/seeded-random';

/** An answer the fake connector gives instead of 200. */
export type ScriptedAnswer =
  | { readonly status: 429; readonly retryAfter?: string }
  | { readonly status: 403 | 404 | 412 | 500 | 502 | 503 | 504 | 400 };

/** One POST the fake connector received, stamped with the test clock. */
export interface ReceivedActivity {
  readonly conversationId: string;
  readonly at: number;
  readonly status: number;
  readonly activity: Record<string, unknown>;
}

/** Random faults: this share of unscripted requests gets `answer`, drawn from a seeded stream. */
export interface RandomFaults {
  readonly share: number;
  readonly answer: ScriptedAnswer;
  /** Each conversation draws from its own stream (this seed and its id): its n-th request always gets the same answer. */
  readonly seed: number;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?\/?$/;

/**
 * A Bot Connector on loopback: serves POST /v3/conversations/:id/activities, records every
 * request with the injected clock's time, and answers from a per-conversation script (else 200).
 */
export class FakeBotConnector {
  readonly received: ReceivedActivity[] = [];
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private faults: RandomFaults | undefined;
  private readonly faultStreams = new Map<string, RandomSource>();
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly now: () => number) {}

  /** The service URL to put in conversation references. */
  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Starts listening on a free loopback port. */
  async start(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes the next requests to a conversation get these answers, in order. */
  script(conversationId: string, ...answers: ScriptedAnswer[]): void {
    this.scripts.set(conversationId, [...(this.scripts.get(conversationId) ?? []), ...answers]);
  }

  /** Answers a seeded share of the requests that have no scripted answer with a fault (429, 5xx...). */
  failRandomly(faults: RandomFaults): void {
    this.faults = faults;
    this.faultStreams.clear();
  }

  /** The successfully delivered activities (2xx), optionally for one conversation. */
  delivered(conversationId?: string): ReceivedActivity[] {
    return this.received.filter(
      (r) =>
        r.status < 300 && (conversationId === undefined || r.conversationId === conversationId),
    );
  }

  /** Resolves once `count` activities were delivered. */
  waitForDelivered(count: number): Promise<void> {
    if (this.delivered().length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const match = ROUTE.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !match?.[1]) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const conversationId = decodeURIComponent(match[1]);
      const answer = this.scripts.get(conversationId)?.shift() ?? this.randomFault(conversationId);
      const status = answer?.status ?? 200;
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<
        string,
        unknown
      >;
      this.received.push({ conversationId, at: this.now(), status, activity });
      this.reply(res, answer);
      this.notify();
    });
  }

  private randomFault(conversationId: string): ScriptedAnswer | undefined {
    const faults = this.faults;
    if (!faults) return undefined;
    let stream = this.faultStreams.get(conversationId);
    if (!stream) {
      stream = seededRandom(faults.seed ^ seedFromText(conversationId));
      this.faultStreams.set(conversationId, stream);
    }
    return stream() < faults.share ? faults.answer : undefined;
  }

  private reply(res: ServerResponse, answer: ScriptedAnswer | undefined): void {
    res.setHeader('Content-Type', 'application/json');
    if (!answer) {
      res.statusCode = 200;
      res.end(JSON.stringify({ id: `activity-${this.received.length}` }));
      return;
    }
    res.statusCode = answer.status;
    if (answer.status === 429 && answer.retryAfter !== undefined) {
      res.setHeader('Retry-After', answer.retryAfter);
    }
    res.end(JSON.stringify({ error: { code: `Status${answer.status}`, message: 'scripted' } }));
  }

  private notify(): void {
    const count = this.delivered().length;
    for (const waiter of [...this.waiters]) {
      if (count >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
