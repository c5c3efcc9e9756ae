import type { Logger } from '../../logging/logger';
import type { StoreDatabase } from '../../store/open-database';
import type { StoreKeyRing } from '../../store/store-keys';
import type { DelegatedTokenProvider } from '../../watch/token-provider';

/** The user a sign-in produced tokens for. */
export interface SignedInUser {
  /** The user's Entra tenant id (`tid`). */
  tenantId: string;
  /** The user's Entra object id (`oid`). */
  userId: string;
}

/** What `authorizationUrl` needs: the state to echo, where Entra redirects, and an optional login hint. */
export interface AuthorizationUrlRequest {
  state: string;
  redirectUri: string;
  loginHint?: string;
  /** The PKCE verifier of an earlier URL for this state (the link opened again); else a new one. */
  codeVerifier?: string;
}

/** The authorization URL and the PKCE verifier the caller keeps (server side) until it redeems the code. */
export interface AuthorizationUrl {
  url: string;
  codeVerifier: string;
}

/** An authorization code returned to the redirect URI, with the verifier of its PKCE challenge. */
export interface RedeemCodeRequest {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/** How the app proves itself to Entra: a client secret, or a certificate (thumbprint + private key). */
export type MsalCredential =
  | { kind: 'secret'; clientSecret: string }
  | { kind: 'certificate'; thumbprint: string; privateKeyPem: string; certificatePem?: string };

/** What `createMsalSignIn` needs. */
export interface MsalSignInOptions {
  /** The Entra app (client) id: BOT_ID / AAD_APP_CLIENT_ID. */
  clientId: string;
  /** The https authority including the tenant, e.g. `https://login.microsoftonline.com/{tenantId}`. */
  authority: string;
  credential: MsalCredential;
  /** The store the sealed token cache lives in (table `msal_token_cache`). */
  database: StoreDatabase;
  /** The store key ring the cache partitions are sealed with (AES-256-GCM, like every secret at rest). */
  storeKeys: StoreKeyRing;
  /** This process's lease owner name (`leaseOwnerOf(identity, 'msal')`), held on a partition per request. */
  leaseOwner: string;
  /** A CA certificate (PEM) MSAL trusts in addition to the system ones: local mode (the simulator) only. */
  trustedCaPem?: string;
  logger: Logger;
}

/**
 * MSAL on-behalf-of sign-in: tokens kept by MSAL in a sealed, store-backed cache, one partition per user.
 * Built by `createMsalSignIn(options: MsalSignInOptions)` in `./create-msal-sign-in`.
 */
export interface MsalSignIn extends DelegatedTokenProvider {
  /**
   * A Graph access token for the user from `acquireTokenSilent` (MSAL refreshes it when needed);
   * AppError TOKEN_UNAVAILABLE when the user has no cached account or Entra answers
   * invalid_grant / interaction_required (revoked): the "sign in again" path.
   */
  getToken(tenantId: string, userId: string): Promise<string>;
  /** Swaps a validated Teams SSO token for Graph tokens (OBO) and caches them; AppError SIGN_IN_CONSENT_REQUIRED when Entra asks for consent or interaction. */
  onBehalfOf(ssoToken: string): Promise<SignedInUser>;
  /** The authorization URL (PKCE S256) for the code flow, with the verifier the caller must keep for redeemCode. */
  authorizationUrl(request: AuthorizationUrlRequest): Promise<AuthorizationUrl>;
  /** Redeems an authorization code (with its PKCE verifier) and caches the tokens. */
  redeemCode(request: RedeemCodeRequest): Promise<SignedInUser>;
  /** Removes the user's account and cache partition (sign-out, uninstall, revoked consent). */
  signOut(tenantId: string, userId: string): Promise<void>;
}

/** The Graph scopes every MSAL sign-in asks for (offline_access is added by MSAL). */
export const MSAL_GRAPH_SCOPES: readonly string[] = [
  'https://graph.microsoft.com/Presence.Read.All',
  'https://graph.microsoft.com/User.ReadBasic.All',
];
