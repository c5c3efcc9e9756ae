import http from 'node:http';

/** A request forged against `/api/messages` and the answer it must get. */
export interface BotDoorForgery {
  readonly category: string;
  readonly body: Buffer;
  readonly headers: http.OutgoingHttpHeaders;
  readonly expectedStatus: number;
}

const activity = Buffer.from(
  JSON.stringify({
    type: 'message',
    text: '/watch everyone',
    channelId: 'msteams',
    serviceUrl: 'https://attacker.example/',
    from: { id: '29:someone', aadObjectId: '00000000-0000-0000-0000-000000000666' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:forged' },
  }),
);

function multipart(bytes: number): { body: Buffer; headers: http.OutgoingHttpHeaders } {
  const boundary = 'forgery-boundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n\r\n`,
    ),
    Buffer.alloc(bytes, 0x41),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Multipart uploads, other media types, oversize JSON and unauthenticated activities, `each` of each. */
export function botDoorForgeries(each: number): BotDoorForgery[] {
  const shapes: BotDoorForgery[] = [
    { category: 'multipart 1 MB', ...multipart(1_000_000), expectedStatus: 415 },
    { category: 'multipart 5 MB', ...multipart(5_000_000), expectedStatus: 415 },
    {
      category: 'text/plain',
      body: activity,
      headers: { 'content-type': 'text/plain' },
      expectedStatus: 415,
    },
    {
      category: 'form-encoded',
      body: Buffer.from('type=message&text=hi'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      expectedStatus: 415,
    },
    { category: 'no content type', body: activity, headers: {}, expectedStatus: 415 },
    {
      category: 'gzip-declared JSON',
      body: activity,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      expectedStatus: 415,
    },
    {
      category: 'oversize JSON',
      body: Buffer.from(JSON.stringify({ type: 'message', text: 'x'.repeat(400_000) })),
      headers: { 'content-type': 'application/json', authorization: 'Bearer forged' },
      expectedStatus: 413,
    },
    {
      category: 'JSON without a token',
      body: activity,
      headers: { 'content-type': 'application/json' },
      expectedStatus: 401,
    },
    {
      category: 'JSON with a forged token',
      body: activity,
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.',
      },
      expectedStatus: 401,
    },
  ];
  return shapes.flatMap((shape) => Array.from({ length: each }, () => shape));
}

/** POSTs one forgery to `/api/messages` and resolves with the status (0 when the socket failed). */
export function postToBot(port: number, forgery: BotDoorForgery): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/api/messages', method: 'POST', headers: forgery.headers },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.once('error', () => resolve(0));
    request.end(forgery.body);
  });
}
