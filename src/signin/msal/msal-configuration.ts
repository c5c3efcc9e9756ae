import { createHash, X509Certificate } from 'node:crypto';
import {
  LogLevel,
  type Configuration,
  type INetworkModule,
  type NodeAuthOptions,
} from '@azure/msal-node';
import { AppError } from '../../errors/app-error';
import type { Logger } from '../../logging/logger';
import type { MsalCredential, MsalSignInOptions } from './msal-sign-in';
import { trustedCaNetworkClient } from './trusted-ca-network-client';

/** The shared part of every MSAL client: app, authority, credential, network client and logging. */
export interface MsalBaseConfiguration {
  /** The MSAL configuration without a cache plugin; `authorityMetadata` once it has been fetched. */
  configuration(): Promise<Configuration>;
}

function credentialOptions(credential: MsalCredential): Partial<NodeAuthOptions> {
  if (credential.kind === 'secret') return { clientSecret: credential.clientSecret };
  if (credential.certificatePem === undefined) {
    return {
      clientCertificate: {
        thumbprint: credential.thumbprint,
        privateKey: credential.privateKeyPem,
      },
    };
  }
  const der = new X509Certificate(credential.certificatePem).raw;
  return {
    clientCertificate: {
      thumbprintSha256: createHash('sha256').update(der).digest('hex'),
      privateKey: credential.privateKeyPem,
      x5c: credential.certificatePem,
    },
  };
}

function loggerOptions(log: Logger): NonNullable<Configuration['system']>['loggerOptions'] {
  return {
    piiLoggingEnabled: false,
    logLevel: LogLevel.Warning,
    loggerCallback: (level, message, containsPii) => {
      if (containsPii) return;
      if (level === LogLevel.Error) log.error({ msal: message }, 'msal');
      else log.warn({ msal: message }, 'msal');
    },
  };
}

async function fetchJson(url: string, networkClient: INetworkModule | undefined): Promise<unknown> {
  try {
    if (networkClient) return (await networkClient.sendGetRequestAsync<unknown>(url)).body;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok)
      throw new AppError('ENTRA_UNAVAILABLE', `OpenID configuration: HTTP ${response.status}`);
    return await response.json();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('ENTRA_UNAVAILABLE', 'OpenID configuration could not be fetched', {
      cause: error,
    });
  }
}

/**
 * Builds the shared MSAL configuration. The authority host goes into `knownAuthorities`, so MSAL
 * makes no instance-discovery call (the global discovery endpoint is never asked about a local
 * authority); the tenant's OpenID configuration is fetched once per process and handed to every
 * client as `authorityMetadata`. `trustedCaPem` (local mode) adds one CA to the network client.
 */
export function msalBaseConfiguration(
  options: MsalSignInOptions,
  log: Logger,
): MsalBaseConfiguration {
  const authority = options.authority.replace(/\/+$/, '');
  const networkClient = options.trustedCaPem
    ? trustedCaNetworkClient(options.trustedCaPem)
    : undefined;
  let metadata: Promise<string> | undefined;
  const authorityMetadata = (): Promise<string> => {
    metadata ??= fetchJson(
      `${authority}/v2.0/.well-known/openid-configuration`,
      networkClient,
    ).then(
      (body) => JSON.stringify(body),
      (error: unknown) => {
        metadata = undefined;
        throw error;
      },
    );
    return metadata;
  };
  return {
    async configuration() {
      return {
        auth: {
          clientId: options.clientId,
          authority,
          knownAuthorities: [new URL(authority).host],
          authorityMetadata: await authorityMetadata(),
          ...credentialOptions(options.credential),
        },
        system: { loggerOptions: loggerOptions(log), ...(networkClient ? { networkClient } : {}) },
      };
    },
  };
}
