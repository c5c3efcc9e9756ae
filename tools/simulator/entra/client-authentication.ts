import { timingSafeEqual, createHash } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { AppRegistry, RegisteredApp } from './app-registrations';
import { invalidClient, invalidRequest, OAuthError } from './oauth-error';

/** The clock skew Entra allows on a client assertion's `nbf` and `exp`. */
const CLOCK_SKEW_SECONDS = 300;
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function sameSecret(a: string, b: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function knownApp(apps: AppRegistry, clientId: string): RegisteredApp {
  const app = apps.find(clientId);
  if (!app) {
    throw new OAuthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory.`,
    );
  }
  return app;
}

async function verifyAssertion(
  app: RegisteredApp,
  assertion: string,
  tokenEndpoint: string,
  now: number,
): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalidClient(50027, 'Invalid JWT token. Token format not valid.');
  }
  const sha256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const certificate = app.certificates.find((c) =>
    sha256 ? c.sha256 === sha256 : c.sha1 === header.x5t,
  );
  if (!certificate) {
    throw invalidClient(
      700027,
      'The certificate with identifier used to sign the client assertion is not registered on application.',
    );
  }
  await jwtVerify(assertion, certificate.publicKey, {
    algorithms: ['RS256', 'PS256'],
    audience: tokenEndpoint,
    issuer: app.clientId,
    subject: app.clientId,
    requiredClaims: ['exp', 'jti'],
    currentDate: new Date(now),
    clockTolerance: CLOCK_SKEW_SECONDS,
  }).catch(() => {
    throw invalidClient(
      700027,
      'Client assertion failed signature validation, or its audience, issuer, subject or lifetime is wrong.',
    );
  });
}

/**
 * Authenticates the confidential client of a token request by `client_secret` or by a
 * certificate-signed `client_assertion` (audience: this token endpoint); answers the app.
 */
export async function authenticateClient(
  apps: AppRegistry,
  form: Record<string, string>,
  tokenEndpoint: string,
  now: number,
): Promise<RegisteredApp> {
  const clientId = form.client_id;
  if (!clientId) {
    throw invalidRequest(
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
  }
  const app = knownApp(apps, clientId);
  if (form.client_secret !== undefined) {
    if (!app.clientSecrets.some((secret) => sameSecret(secret, form.client_secret ?? ''))) {
      throw invalidClient(
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
    return app;
  }
  if (form.client_assertion !== undefined) {
    if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      throw invalidRequest(90014, "The request body must contain a valid 'client_assertion_type'.");
    }
    await verifyAssertion(app, form.client_assertion, tokenEndpoint, now);
    return app;
  }
  throw invalidClient(
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}
