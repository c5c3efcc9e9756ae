import path from 'node:path';
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim().length > 0 ? value.trim() : undefined));

/** The sign-in variables: the mode, the SSO token audiences and (local only) the CA MSAL trusts. */
export const signInEnvShape = {
  SIGN_IN_MODE: z.enum(['bot-service', 'msal']).default('bot-service'),
  SSO_AUDIENCES: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  SIGN_IN_TRUSTED_CA_FILE: optionalText,
};

/** The variables sign-in reads, including the app registration ones shared with the bot. */
export interface SignInEnv {
  NODE_ENV: 'development' | 'production' | 'test';
  SIGN_IN_MODE: 'bot-service' | 'msal';
  SSO_AUDIENCES: string[];
  SIGN_IN_TRUSTED_CA_FILE?: string | undefined;
  BOT_ID?: string | undefined;
  BOT_PASSWORD?: string | undefined;
  BOT_CERTIFICATE_THUMBPRINT?: string | undefined;
  BOT_CERTIFICATE_KEY_FILE?: string | undefined;
  AAD_APP_CLIENT_ID?: string | undefined;
  AAD_APP_CLIENT_SECRET?: string | undefined;
  AAD_APP_TENANT_ID?: string | undefined;
  AAD_APP_OAUTH_AUTHORITY_HOST: string;
  PUBLIC_BASE_URL?: string | undefined;
  BOT_DOMAIN?: string | undefined;
}

/** How the app proves itself to Entra in msal mode. */
export type SignInCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'certificate'; readonly thumbprint: string; readonly keyFile: string };

/** Which sign-in the bot uses: the Bot Service OAuth connection, or MSAL on-behalf-of in the bot. */
export type SignInConfig =
  | { readonly mode: 'bot-service' }
  | {
      readonly mode: 'msal';
      readonly clientId: string;
      /** `https://{authority host}/{tenant id}`. */
      readonly authority: string;
      readonly authorityHost: string;
      readonly tenantId: string;
      readonly credential: SignInCredential;
      /** Accepted `aud` values of Teams SSO tokens. */
      readonly ssoAudiences: readonly string[];
      /** Local mode only: a PEM CA file MSAL trusts (the simulator's Entra). */
      readonly trustedCaFile: string | undefined;
    };

function clientIdOf(values: Partial<SignInEnv>): string | undefined {
  return values.AAD_APP_CLIENT_ID ?? values.BOT_ID;
}

function credentialOf(values: Partial<SignInEnv>): SignInCredential | undefined {
  if (values.AAD_APP_CLIENT_SECRET) return { kind: 'secret', secret: values.AAD_APP_CLIENT_SECRET };
  if (clientIdOf(values) !== values.BOT_ID) return undefined;
  if (values.BOT_PASSWORD) return { kind: 'secret', secret: values.BOT_PASSWORD };
  if (values.BOT_CERTIFICATE_THUMBPRINT && values.BOT_CERTIFICATE_KEY_FILE) {
    return {
      kind: 'certificate',
      thumbprint: values.BOT_CERTIFICATE_THUMBPRINT,
      keyFile: path.resolve(values.BOT_CERTIFICATE_KEY_FILE),
    };
  }
  return undefined;
}

function ssoAudiencesOf(values: Partial<SignInEnv>): string[] {
  if (values.SSO_AUDIENCES?.length) return values.SSO_AUDIENCES;
  const clientId = clientIdOf(values);
  return [values.BOT_ID ? `api://botid-${values.BOT_ID}` : undefined, clientId].filter(
    (audience): audience is string => audience !== undefined,
  );
}

/** Every missing or contradictory sign-in setting, for the one CONFIG_INVALID error. */
export function signInProblems(values: Partial<SignInEnv>): string[] {
  const problems: string[] = [];
  if (values.SIGN_IN_TRUSTED_CA_FILE && values.NODE_ENV === 'production') {
    problems.push('SIGN_IN_TRUSTED_CA_FILE: local mode only; not allowed in production');
  }
  if (values.SIGN_IN_MODE !== 'msal') return problems;
  if (!clientIdOf(values)) {
    problems.push('AAD_APP_CLIENT_ID: SIGN_IN_MODE=msal needs the Entra app id (or BOT_ID)');
  }
  if (!credentialOf(values)) {
    problems.push(
      'AAD_APP_CLIENT_SECRET: SIGN_IN_MODE=msal needs a credential: AAD_APP_CLIENT_SECRET, or (when the app is BOT_ID) BOT_PASSWORD or BOT_CERTIFICATE_THUMBPRINT with BOT_CERTIFICATE_KEY_FILE',
    );
  }
  if (!values.AAD_APP_TENANT_ID) {
    problems.push('AAD_APP_TENANT_ID: SIGN_IN_MODE=msal needs the tenant of the authority');
  }
  if (
    values.AAD_APP_OAUTH_AUTHORITY_HOST &&
    !/^https:\/\//.test(values.AAD_APP_OAUTH_AUTHORITY_HOST)
  ) {
    problems.push('AAD_APP_OAUTH_AUTHORITY_HOST: SIGN_IN_MODE=msal needs an https:// authority');
  }
  if (values.NODE_ENV === 'production' && !values.PUBLIC_BASE_URL && !values.BOT_DOMAIN) {
    problems.push(
      'BOT_DOMAIN: SIGN_IN_MODE=msal in production needs BOT_DOMAIN or PUBLIC_BASE_URL for the sign-in redirect',
    );
  }
  return problems;
}

/** The validated sign-in configuration (call only when `signInProblems` found none). */
export function signInConfigOf(values: SignInEnv): SignInConfig {
  const clientId = clientIdOf(values);
  const credential = credentialOf(values);
  const tenantId = values.AAD_APP_TENANT_ID;
  if (values.SIGN_IN_MODE !== 'msal' || !clientId || !credential || !tenantId) {
    return { mode: 'bot-service' };
  }
  const authorityHost = values.AAD_APP_OAUTH_AUTHORITY_HOST.replace(/\/+$/, '');
  return {
    mode: 'msal',
    clientId,
    authority: `${authorityHost}/${tenantId}`,
    authorityHost,
    tenantId,
    credential,
    ssoAudiences: ssoAudiencesOf(values),
    trustedCaFile: values.SIGN_IN_TRUSTED_CA_FILE
      ? path.resolve(values.SIGN_IN_TRUSTED_CA_FILE)
      : undefined,
  };
}

/** A log-safe view: the mode, the app, authority and audiences, and which credential kind. */
export function summarizeSignIn(signIn: SignInConfig): Record<string, unknown> {
  if (signIn.mode !== 'msal') return { mode: signIn.mode };
  return {
    mode: signIn.mode,
    clientId: signIn.clientId,
    authority: signIn.authority,
    credential: signIn.credential.kind,
    ssoAudiences: signIn.ssoAudiences,
    trustedCaFile: signIn.trustedCaFile,
  };
}
