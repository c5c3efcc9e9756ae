import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { GRAPH_CHANGE_TRACKING_APP_ID } from '../../src/notifications/tokens/graph-token-claims';
import { tenantIssuer } from './identity/token-claims';

/** The claims of one simulated Graph validation token. */
export interface ValidationTokenClaims {
  tenantId: string;
  /** Our app (client) id: the token's `aud`. */
  audience: string;
  /** Issue time (default: now). */
  now?: Date;
  /** Lifetime in seconds (default 24 h). */
  lifetimeSeconds?: number;
  /** Claims that replace the generated ones; a value of `undefined` removes the claim. */
  overrides?: Record<string, unknown>;
}

/** Signs validation tokens the way Microsoft Graph's change-tracking app does, with rotatable keys. */
export interface ValidationTokenIssuer {
  /** The `kid` of the key that signs new tokens. */
  readonly keyId: string;
  /** Signs an RS256 token shaped like Graph's (v1 claims: `iss` sts.windows.net, `appid`). */
  issue(claims: ValidationTokenClaims): Promise<string>;
  /** The public key set (every listed key, public parts only). */
  jwks(): { keys: JWK[] };
  /** Starts signing with a new key under a new `kid`; the old key stays listed. Returns the new kid. */
  rotate(): Promise<string>;
  /** Stops listing the key with `kid` (the current signing key cannot be removed). */
  removeKey(kid: string): void;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const DEFAULT_LIFETIME_SECONDS = 24 * 60 * 60;

async function createSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

function graphClaims(claims: ValidationTokenClaims): Record<string, unknown> {
  const issuedAt = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  const issuer = tenantIssuer(claims.tenantId);
  return {
    aud: claims.audience,
    iss: issuer,
    iat: issuedAt,
    nbf: issuedAt,
    exp: issuedAt + (claims.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS),
    aio: randomBytes(24).toString('base64'),
    appid: GRAPH_CHANGE_TRACKING_APP_ID,
    appidacr: '2',
    idp: issuer,
    tid: claims.tenantId,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
}

function applyOverrides(
  claims: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const merged = { ...claims, ...overrides };
  for (const [name, value] of Object.entries(merged)) {
    if (value === undefined) delete merged[name];
  }
  return merged;
}

/** Builds the simulator's token issuer with one fresh RSA-2048 signing key. */
export async function createValidationTokenIssuer(
  options: { keyId?: string } = {},
): Promise<ValidationTokenIssuer> {
  const keys = [await createSigningKey(options.keyId ?? randomUUID())];
  const current = (): SigningKey => keys[keys.length - 1] as SigningKey;

  return {
    get keyId() {
      return current().kid;
    },
    async issue(claims) {
      const signing = current();
      const payload = applyOverrides(graphClaims(claims), claims.overrides);
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signing.kid })
        .sign(signing.privateKey);
    },
    jwks() {
      return { keys: keys.map((key) => ({ ...key.publicJwk })) };
    },
    async rotate() {
      keys.push(await createSigningKey(randomUUID()));
      return current().kid;
    },
    removeKey(kid) {
      const index = keys.findIndex((key) => key.kid === kid);
      if (index >= 0 && index < keys.length - 1) keys.splice(index, 1);
    },
  };
}
