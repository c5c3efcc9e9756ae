import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { AppError } from '../../errors/app-error';

const DEFAULT_TIMEOUT_MS = 10_000;

function headersOf(response: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new AppError('ENTRA_UNAVAILABLE', 'the answer was not JSON', { cause: error });
  }
}

function send<T>(
  agent: https.Agent,
  method: 'GET' | 'POST',
  url: string,
  options: NetworkRequestOptions | undefined,
  timeoutMs: number,
): Promise<NetworkResponse<T>> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { method, agent, headers: options?.headers ?? {}, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            const body = parseJson<T>(Buffer.concat(chunks).toString('utf8'));
            resolve({ headers: headersOf(response), body, status: response.statusCode ?? 0 });
          } catch (error) {
            reject(error instanceof Error ? error : new AppError('ENTRA_UNAVAILABLE'));
          }
        });
      },
    );
    request.on('timeout', () =>
      request.destroy(new AppError('ENTRA_UNAVAILABLE', `${method} timed out`)),
    );
    request.on('error', (error) =>
      reject(
        error instanceof AppError
          ? error
          : new AppError('ENTRA_UNAVAILABLE', `${method} failed`, { cause: error }),
      ),
    );
    request.end(method === 'POST' ? (options?.body ?? '') : undefined);
  });
}

/**
 * MSAL's network client trusting one extra CA (the local tenant simulator's) besides Node's
 * bundled roots; certificate and host name checks stay on. Local mode only.
 */
export function trustedCaNetworkClient(caPem: string): INetworkModule {
  const agent = new https.Agent({ ca: [...rootCertificates, caPem], keepAlive: true });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>(agent, 'GET', url, options, timeout ?? DEFAULT_TIMEOUT_MS),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>(agent, 'POST', url, options, DEFAULT_TIMEOUT_MS),
  };
}
