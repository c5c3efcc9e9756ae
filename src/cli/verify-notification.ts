import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError, isAppError } from '../errors/app-error';
import { silentLogger } from '../logging/logger';
import {
  createContentDecryptor,
  type ContentDecryptor,
} from '../notifications/crypto/decrypt-pool';
import { KeyRing, type BarePrivateKey } from '../notifications/keys/key-ring';
import { parseRsaPrivateKeyPem } from '../notifications/keys/private-key';
import { fixedClientState } from '../notifications/receiver/subscription-gate';
import {
  createNotificationProcessor,
  type VerifiedItem,
} from '../notifications/processing/notification-processor';
import { parseEnvelope } from '../notifications/receiver/notification-envelope';
import { localKeySet, remoteKeySet } from '../notifications/tokens/jwks-sources';
import { createValidationTokenVerifier } from '../notifications/tokens/validation-token-verifier';

const MICROSOFT_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';

/** The usage text of `verify-notification`. */
export const VERIFY_USAGE = `usage: presence-watch verify-notification <body.json>
  --key <pem-path> | --key <certificateId>=<pem-path>   private key (PKCS#8 or PKCS#1 PEM), repeatable;
                         needed only for encrypted content (lifecycle notifications have none)
  --app-id <id>          expected token audience, repeatable
  --client-state <text>  every item's clientState must equal it
  --jwks <path>          JSON Web Key Set file (default: fetch Microsoft's)
  --now <ISO-8601>       the time to judge token lifetimes by (default: now)`;

interface VerifyOptions {
  bodyFile: string;
  keys: { certificateId?: string; path: string }[];
  appIds: string[];
  clientState: string | undefined;
  jwksFile: string | undefined;
  now: Date;
}

/** One verified item as the CLI prints it. */
type CliItem = Pick<
  VerifiedItem,
  'subscriptionId' | 'tenantId' | 'changeType' | 'resource' | 'lifecycleEvent' | 'resourceData'
>;

/** The CLI's JSON result. */
export type VerifyResult =
  { ok: true; items: CliItem[] } | { ok: false; error: { code: string; message: string } };

/** Parses `verify-notification` arguments; throws CLI_USAGE on any mistake. */
export function parseVerifyArgs(args: string[]): VerifyOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        key: { type: 'string', multiple: true },
        'app-id': { type: 'string', multiple: true },
        'client-state': { type: 'string' },
        jwks: { type: 'string' },
        now: { type: 'string' },
      },
    });
  } catch (error) {
    throw new AppError('CLI_USAGE', (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new AppError('CLI_USAGE', 'give exactly one body file');
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new AppError('CLI_USAGE', '--now is not an ISO-8601 time');
  return {
    bodyFile: positionals[0] as string,
    keys: (values.key ?? []).map(keySpecOf),
    appIds: values['app-id'] ?? [],
    clientState: values['client-state'],
    jwksFile: values.jwks,
    now,
  };
}

function keySpecOf(spec: string): { certificateId?: string; path: string } {
  const separator = spec.indexOf('=');
  if (separator <= 0 || existsSync(spec)) return { path: spec };
  return { certificateId: spec.slice(0, separator), path: spec.slice(separator + 1) };
}

/** Validates and decrypts a notification body exactly as the server's worker does. */
export async function verifyNotification(options: VerifyOptions): Promise<VerifyResult> {
  const decryptor =
    options.keys.length === 0
      ? keylessDecryptor()
      : createContentDecryptor({ keyRing: await loadKeyRing(options.keys), threads: 0 });
  try {
    const envelope = parseEnvelope(await readInput(options.bodyFile));
    const keySet = options.jwksFile
      ? localKeySet(JSON.parse((await readInput(options.jwksFile)).toString('utf8')))
      : remoteKeySet(MICROSOFT_JWKS_URL);
    const processor = createNotificationProcessor({
      verifier: createValidationTokenVerifier({
        keySet,
        audiences: options.appIds,
        now: () => options.now,
        logger: silentLogger(),
      }),
      decryptor,
      secrets:
        options.clientState === undefined ? undefined : fixedClientState(options.clientState),
    });
    const items = envelope.items.map((item) => JSON.parse(item.payload) as unknown);
    const outcomes = await processor.processBatch(items, envelope.validationTokens);
    const verified: CliItem[] = [];
    for (const outcome of outcomes) {
      if (outcome.status !== 'verified') return { ok: false, error: outcome.error.toJSON() };
      verified.push(cliItemOf(outcome.item));
    }
    return { ok: true, items: verified };
  } finally {
    await decryptor.close();
  }
}

function cliItemOf(item: VerifiedItem): CliItem {
  const { subscriptionId, tenantId, changeType, resource, lifecycleEvent, resourceData } = item;
  return { subscriptionId, tenantId, changeType, resource, lifecycleEvent, resourceData };
}

/** Without --key: items without encrypted content verify; any encrypted content fails opaquely. */
function keylessDecryptor(): ContentDecryptor {
  return {
    decrypt: () => Promise.reject(new AppError('DECRYPTION_FAILED')),
    close: () => Promise.resolve(),
  };
}

async function loadKeyRing(keys: VerifyOptions['keys']): Promise<KeyRing> {
  const bare: BarePrivateKey[] = [];
  for (const key of keys) {
    const pem = (await readInput(key.path)).toString('utf8');
    bare.push({ certificateId: key.certificateId, privateKey: parseRsaPrivateKeyPem(pem) });
  }
  return KeyRing.fromPrivateKeys(bare);
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new AppError('CLI_USAGE', `cannot read ${file}`);
  }
}

/** Maps any failure to the CLI's JSON error result. */
export function failureResult(error: unknown): VerifyResult {
  const appError = isAppError(error)
    ? error
    : new AppError('NOTIFICATION_REJECTED', 'unexpected failure');
  return { ok: false, error: appError.toJSON() };
}
