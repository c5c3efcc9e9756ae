import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors/app-error';
import {
  alertEnvShape,
  alertTimingProblems,
  alertTimingsOf,
  type AlertTimings,
} from './alert-settings';
import {
  keeperEnvShape,
  keeperTimingProblems,
  keeperTimingsOf,
  type KeeperTimings,
} from './keeper-settings';
import { botCredentialProblems } from './bot-credential-settings';
import {
  signInConfigOf,
  signInEnvShape,
  signInProblems,
  type SignInConfig,
} from './sign-in-settings';

const MICROSOFT_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim().length > 0 ? value.trim() : undefined));

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3978),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: optionalText,
  STORE_ENCRYPTION_KEY: optionalText,
  STORE_ENCRYPTION_PREVIOUS_KEYS: commaList,
  NOTIFICATION_CERT_FILES: commaList,
  NOTIFICATION_KEY_FILES: commaList,
  NOTIFICATION_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(16_777_216).default(1_048_576),
  NOTIFICATION_WORKER_THREADS: z
    .union([z.literal('auto'), z.coerce.number().int().min(0).max(64)])
    .default('auto'),
  NOTIFICATION_AUDIENCES: commaList,
  GRAPH_JWKS_URL: z.string().url().default(MICROSOFT_JWKS_URL),
  PUBLIC_BASE_URL: optionalText.pipe(z.string().url().optional()),
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  BOT_CERTIFICATE_THUMBPRINT: optionalText,
  BOT_CERTIFICATE_KEY_FILE: optionalText,
  BOT_PASSWORD_EXPIRES_AT: optionalText.pipe(
    z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/,
        'must be an ISO 8601 date, such as 2027-06-01 or 2027-06-01T12:00:00Z',
      )
      .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a real date')
      .optional(),
  ),
  BOT_TENANT_ID: optionalText,
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('MultiTenant'),
  BOT_DOMAIN: optionalText,
  AAD_APP_CLIENT_ID: optionalText,
  AAD_APP_CLIENT_SECRET: optionalText,
  AAD_APP_TENANT_ID: optionalText,
  AAD_APP_OAUTH_AUTHORITY_HOST: z.string().url().default('https://login.microsoftonline.com'),
  OAUTH_CONNECTION_NAME: z.string().min(1).default('graph'),
  BOT_OAUTH_API_URL: optionalText.pipe(z.string().url().optional()),
  COVERAGE_REDUNDANCY: z.coerce.number().int().min(1).max(10).default(2),
  GRAPH_BASE_URL: z.string().url().default('https://graph.microsoft.com/v1.0'),
  METRICS_BEARER_TOKEN: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText.pipe(
    z
      .string()
      .regex(/InstrumentationKey=/i, 'must contain InstrumentationKey=')
      .optional(),
  ),
  INSTANCE_NAME: optionalText.pipe(
    z
      .string()
      .regex(/^[^/\s]+$/, 'must have no slashes or spaces')
      .optional(),
  ),
  ...keeperEnvShape,
  ...alertEnvShape,
  ...signInEnvShape,
});

/** Where the store lives: an embedded SQLite file or a PostgreSQL server. */
export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** A certificate and private key pair loaded from files, for notification decryption. */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/** The validated, frozen configuration of one Presence Watch process. */
export interface Config {
  readonly environment: 'development' | 'production' | 'test';
  readonly server: { readonly host: string; readonly port: number };
  readonly log: { readonly level: string; readonly format: 'json' | 'pretty' };
  readonly dataDir: string;
  /** Names this instance's host in lease owners; the host name when undefined. */
  readonly instanceName: string | undefined;
  readonly database: DatabaseConfig;
  readonly storeEncryptionKey: Buffer | undefined;
  /** Keys values sealed before a rotation may still need: opened, then re-sealed under the current key. */
  readonly storePreviousKeys: readonly Buffer[];
  readonly publicBaseUrl: string | undefined;
  readonly notifications: {
    readonly maxBodyBytes: number;
    readonly workerThreads: number;
    readonly jwksUrl: string;
    readonly audiences: readonly string[];
    readonly certificates: readonly CertificateFiles[];
  };
  readonly bot: {
    readonly id: string | undefined;
    readonly password: string | undefined;
    /** A certificate credential instead of the password: thumbprint and PEM private key file. */
    readonly certificate: { readonly thumbprint: string; readonly keyFile: string } | undefined;
    /** When the client secret (BOT_PASSWORD) expires, epoch ms; undefined when not known. */
    readonly passwordExpiresAt: number | undefined;
    readonly tenantId: string | undefined;
    readonly type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';
    readonly domain: string | undefined;
  };
  readonly aad: {
    readonly clientId: string | undefined;
    readonly clientSecret: string | undefined;
    readonly tenantId: string | undefined;
    readonly authorityHost: string;
  };
  readonly graph: {
    readonly baseUrl: string;
    readonly oauthConnectionName: string;
    /** The Bot Framework token service; undefined means Azure's. Set (without BOT_ID) means local. */
    readonly oauthApiUrl: string | undefined;
    readonly coverageRedundancy: number;
  };
  readonly metrics: {
    /** `/metrics` answers only with this bearer token; undefined turns the endpoint off. */
    readonly bearerToken: string | undefined;
    /** Sends metrics and traces to Application Insights when set. */
    readonly applicationInsightsConnectionString: string | undefined;
  };
  /** The subscription keeper's timings (KEEPER_* variables). */
  readonly keeper: KeeperTimings;
  /** Alert delivery's coalescing window, poll and retries (ALERT_* variables). */
  readonly alerts: AlertTimings;
  /** SIGN_IN_MODE and, in msal mode, the Entra app MSAL signs users in with. */
  readonly signIn: SignInConfig;
}

/** Every environment variable the config module reads. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

type Env = z.infer<typeof envSchema>;

/** Reads and validates `env` once, reporting every problem in one CONFIG_INVALID error. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const raw = envSchema
    .partial()
    .passthrough()
    .safeParse({ ...env, ...fieldsThatFailed(parsed) });
  if (raw.success) problems.push(...crossFieldProblems(raw.data));
  const storeKeys = decodeStoreKeys(env, problems);
  if (!parsed.success || problems.length > 0)
    throw new AppError('CONFIG_INVALID', problems.join('; '));
  return deepFreeze(buildConfig(parsed.data, storeKeys));
}

function fieldsThatFailed(parsed: z.SafeParseReturnType<unknown, Env>): Record<string, undefined> {
  if (parsed.success) return {};
  return Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), undefined]));
}

function crossFieldProblems(values: Partial<Env>): string[] {
  const problems: string[] = [];
  if (
    (values.NOTIFICATION_CERT_FILES ?? []).length !== (values.NOTIFICATION_KEY_FILES ?? []).length
  ) {
    problems.push(
      'NOTIFICATION_CERT_FILES and NOTIFICATION_KEY_FILES must list the same number of files',
    );
  }
  if (values.DATABASE_URL && !/^(postgres(ql)?|sqlite|file):/.test(values.DATABASE_URL)) {
    problems.push('DATABASE_URL: must start with postgres://, postgresql://, sqlite: or file:');
  }
  if (values.NODE_ENV === 'production') {
    if (!values.STORE_ENCRYPTION_KEY) problems.push('STORE_ENCRYPTION_KEY: required in production');
    if (!values.BOT_ID) {
      problems.push(
        'BOT_ID: required in production (without it Bot Framework authentication is off)',
      );
    }
    problems.push(...plainHttpProblems(values));
    if (audiencesOf(values).length === 0) {
      problems.push(
        'NOTIFICATION_AUDIENCES: no app id to accept validation tokens for (set AAD_APP_CLIENT_ID or BOT_ID)',
      );
    }
  }
  problems.push(...botCredentialProblems(values));
  problems.push(...keeperTimingProblems(values));
  problems.push(...alertTimingProblems(values));
  problems.push(...signInProblems(values));
  return problems;
}

const HTTPS_IN_PRODUCTION = [
  'GRAPH_BASE_URL',
  'GRAPH_JWKS_URL',
  'BOT_OAUTH_API_URL',
  'PUBLIC_BASE_URL',
] as const;

function plainHttpProblems(values: Partial<Env>): string[] {
  return HTTPS_IN_PRODUCTION.filter((name) => {
    const url = values[name];
    return url !== undefined && !url.startsWith('https://');
  }).map((name) => `${name}: must be an https:// URL in production`);
}

interface StoreKeys {
  readonly current: Buffer | undefined;
  readonly previous: Buffer[];
}

function decodeStoreKeys(env: Record<string, string | undefined>, problems: string[]): StoreKeys {
  const current = decodeStoreKey(env.STORE_ENCRYPTION_KEY?.trim() || undefined);
  if (current === null) problems.push('STORE_ENCRYPTION_KEY: must be 32 bytes, base64-encoded');
  const previous: Buffer[] = [];
  for (const [i, text] of commaList.parse(env.STORE_ENCRYPTION_PREVIOUS_KEYS).entries()) {
    const key = decodeStoreKey(text);
    const name = `STORE_ENCRYPTION_PREVIOUS_KEYS[${i}]`;
    if (!key) problems.push(`${name}: must be 32 bytes, base64-encoded`);
    else if (current && key.equals(current)) problems.push(`${name}: repeats STORE_ENCRYPTION_KEY`);
    else previous.push(key);
  }
  return { current: current ?? undefined, previous };
}

/** The key, undefined when not given, null when it is not 32 bytes of base64. */
function decodeStoreKey(value: string | undefined): Buffer | undefined | null {
  if (!value) return undefined;
  const key = Buffer.from(value, 'base64');
  return key.length === 32 ? key : null;
}

function audiencesOf(values: Partial<Env>): string[] {
  if (values.NOTIFICATION_AUDIENCES?.length) return values.NOTIFICATION_AUDIENCES;
  return [values.AAD_APP_CLIENT_ID, values.BOT_ID].filter((id): id is string => id !== undefined);
}

function databaseOf(values: Env): DatabaseConfig {
  const url = values.DATABASE_URL;
  if (url && /^postgres(ql)?:/.test(url)) return { kind: 'postgres', url };
  const file = url
    ? url.replace(/^(sqlite|file):(\/\/)?/, '')
    : path.join(values.DATA_DIR, 'presence-watch.sqlite');
  return { kind: 'sqlite', file: path.resolve(file) };
}

function workerThreadsOf(value: Env['NOTIFICATION_WORKER_THREADS']): number {
  if (value !== 'auto') return value;
  const cores = availableParallelism();
  return cores > 1 ? cores : 0;
}

function buildConfig(values: Env, storeKeys: StoreKeys): Config {
  const production = values.NODE_ENV === 'production';
  return {
    environment: values.NODE_ENV,
    server: { host: values.HOST, port: values.PORT },
    log: { level: values.LOG_LEVEL, format: values.LOG_FORMAT ?? (production ? 'json' : 'pretty') },
    dataDir: path.resolve(values.DATA_DIR),
    instanceName: values.INSTANCE_NAME,
    database: databaseOf(values),
    storeEncryptionKey: storeKeys.current,
    storePreviousKeys: storeKeys.previous,
    publicBaseUrl:
      values.PUBLIC_BASE_URL ?? (values.BOT_DOMAIN ? `https://${values.BOT_DOMAIN}` : undefined),
    notifications: {
      maxBodyBytes: values.NOTIFICATION_MAX_BODY_BYTES,
      workerThreads: workerThreadsOf(values.NOTIFICATION_WORKER_THREADS),
      jwksUrl: values.GRAPH_JWKS_URL,
      audiences: audiencesOf(values),
      certificates: values.NOTIFICATION_CERT_FILES.map((certFile, i) => ({
        certFile: path.resolve(certFile),
        keyFile: path.resolve(values.NOTIFICATION_KEY_FILES[i] ?? ''),
      })),
    },
    bot: {
      id: values.BOT_ID,
      password: values.BOT_PASSWORD,
      certificate:
        values.BOT_CERTIFICATE_THUMBPRINT && values.BOT_CERTIFICATE_KEY_FILE
          ? {
              thumbprint: values.BOT_CERTIFICATE_THUMBPRINT,
              keyFile: path.resolve(values.BOT_CERTIFICATE_KEY_FILE),
            }
          : undefined,
      passwordExpiresAt: values.BOT_PASSWORD_EXPIRES_AT
        ? Date.parse(values.BOT_PASSWORD_EXPIRES_AT)
        : undefined,
      tenantId: values.BOT_TENANT_ID,
      type: values.BOT_TYPE,
      domain: values.BOT_DOMAIN,
    },
    aad: {
      clientId: values.AAD_APP_CLIENT_ID,
      clientSecret: values.AAD_APP_CLIENT_SECRET,
      tenantId: values.AAD_APP_TENANT_ID,
      authorityHost: values.AAD_APP_OAUTH_AUTHORITY_HOST,
    },
    graph: {
      baseUrl: values.GRAPH_BASE_URL,
      oauthConnectionName: values.OAUTH_CONNECTION_NAME,
      oauthApiUrl: values.BOT_OAUTH_API_URL,
      coverageRedundancy: values.COVERAGE_REDUNDANCY,
    },
    metrics: {
      bearerToken: values.METRICS_BEARER_TOKEN,
      applicationInsightsConnectionString: values.APPLICATIONINSIGHTS_CONNECTION_STRING,
    },
    keeper: keeperTimingsOf(values),
    alerts: alertTimingsOf(values),
    signIn: signInConfigOf(values),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
