import { createHash, X509Certificate, type KeyObject } from 'node:crypto';

/** An app registration as the simulated Entra knows it: its credentials and reply URLs. */
export interface AppRegistration {
  clientId: string;
  /** Client secrets the app may authenticate with. */
  clientSecrets?: string[];
  /** Certificates (PEM) whose private keys may sign the app's client assertions. */
  certificatePems?: string[];
  /** Redirect (reply) URIs the authorization endpoint accepts, compared exactly. */
  redirectUris?: string[];
}

/** A registered certificate: its public key under both thumbprints Entra accepts (`x5t`, `x5t#S256`). */
export interface RegisteredCertificate {
  sha1: string;
  sha256: string;
  publicKey: KeyObject;
}

/** A registered app with its certificates parsed. */
export interface RegisteredApp {
  clientId: string;
  clientSecrets: readonly string[];
  certificates: readonly RegisteredCertificate[];
  redirectUris: readonly string[];
}

/** The apps registered in the simulated tenant. */
export interface AppRegistry {
  /** Adds or replaces an app registration. */
  register(app: AppRegistration): RegisteredApp;
  find(clientId: string): RegisteredApp | undefined;
}

function parseCertificate(pem: string): RegisteredCertificate {
  const certificate = new X509Certificate(pem);
  const thumbprint = (algorithm: string): string =>
    createHash(algorithm).update(certificate.raw).digest('base64url');
  return {
    sha1: thumbprint('sha1'),
    sha256: thumbprint('sha256'),
    publicKey: certificate.publicKey,
  };
}

/** Builds an in-memory app registry holding `initial`. */
export function createAppRegistry(initial: readonly AppRegistration[] = []): AppRegistry {
  const apps = new Map<string, RegisteredApp>();
  const registry: AppRegistry = {
    register(app) {
      const registered: RegisteredApp = {
        clientId: app.clientId,
        clientSecrets: [...(app.clientSecrets ?? [])],
        certificates: (app.certificatePems ?? []).map(parseCertificate),
        redirectUris: [...(app.redirectUris ?? [])],
      };
      apps.set(app.clientId.toLowerCase(), registered);
      return registered;
    },
    find: (clientId) => apps.get(clientId.toLowerCase()),
  };
  for (const app of initial) registry.register(app);
  return registry;
}
