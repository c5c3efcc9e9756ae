/** Every coded error Presence Watch can raise, with the message a caller sees. */
export const ERROR_CODES = {
  CONFIG_INVALID: 'The configuration is invalid',
  CLI_USAGE: 'The command line is invalid',
  NOTIFICATION_MALFORMED: 'The notification body is not a valid change notification',
  REQUEST_BODY_TOO_LARGE: 'The request body is too large',
  REQUEST_MEDIA_TYPE_UNSUPPORTED: 'The request body is not application/json',
  REQUEST_BODY_MALFORMED: 'The request body is not a JSON object',
  LISTEN_ADDRESS_NOT_LOOPBACK:
    'Bot Framework authentication is off (no BOT_ID), so the server listens only on a loopback address',
  NOTIFICATION_REJECTED: 'The notification failed validation',
  CLIENT_STATE_MISMATCH: 'The notification clientState does not match the subscription',
  SUBSCRIPTION_UNKNOWN: 'The notification names an unknown subscription',
  VALIDATION_TOKENS_MISSING: 'Encrypted content arrived without validation tokens',
  VALIDATION_TOKEN_INVALID: 'A validation token failed verification',
  VALIDATION_TOKEN_TENANT_MISMATCH: 'No validation token covers the notification tenant',
  DECRYPTION_FAILED: 'The encrypted content could not be verified or decrypted',
  KEY_LOAD_FAILED: 'An encryption key or certificate could not be loaded',
  JWKS_UNAVAILABLE: 'The signing keys for validation tokens could not be fetched',
  STORE_UNAVAILABLE: 'The store could not complete the operation',
  BOT_STATE_CONFLICT: 'The conversation state changed while this turn ran (eTag conflict)',
  SECRET_BOX_FAILED: 'A stored secret could not be decrypted',
  STORE_KEY_UNAVAILABLE:
    'A stored secret was sealed under a store key that is configured neither as STORE_ENCRYPTION_KEY nor in STORE_ENCRYPTION_PREVIOUS_KEYS',
  GRAPH_THROTTLED: 'Microsoft Graph asked us to slow down (429)',
  GRAPH_UNAVAILABLE: 'Microsoft Graph is unavailable or timed out',
  GRAPH_UNAUTHORIZED: 'Microsoft Graph refused the access token (401)',
  GRAPH_FORBIDDEN: 'Microsoft Graph denied access (403)',
  GRAPH_NOT_FOUND: 'Microsoft Graph has no such resource (404)',
  GRAPH_CONFLICT: 'Microsoft Graph reported a conflict (409)',
  APP_REGISTRATION_SHARED:
    'Another deployment recreates our subscriptions: two deployments share one app registration',
  GRAPH_BAD_REQUEST: 'Microsoft Graph rejected the request (400)',
  GRAPH_REQUEST_FAILED: 'A Microsoft Graph request failed',
  TOKEN_UNAVAILABLE: 'No delegated token is available for the user; they must sign in again',
  SIGN_IN_CONSENT_REQUIRED:
    'Entra asks the user to consent (or interact) before the bot can act for them',
  SIGN_IN_FAILED: 'Entra refused the sign-in (token exchange or authorization code)',
  SSO_TOKEN_INVALID:
    'The Teams SSO token is malformed, expired, or not signed by Entra (refused before any exchange)',
  SSO_TOKEN_AUDIENCE_INVALID: 'The Teams SSO token was not issued for this bot (aud)',
  SSO_TOKEN_ISSUER_INVALID:
    'The Teams SSO token comes from an issuer the bot does not accept (iss)',
  SSO_TOKEN_TENANT_MISMATCH: 'The Teams SSO token belongs to another tenant than the activity',
  SSO_TOKEN_USER_MISMATCH: 'The Teams SSO token belongs to another user than the activity',
  SIGN_IN_STATE_INVALID:
    'The sign-in link or redirect is unknown, already used, expired, or for another user',
  ENTRA_UNAVAILABLE: 'Entra (the sign-in service) could not be reached or failed; try again later',
  WATCH_LIMIT_EXCEEDED: 'Watching this many people would exceed 650 people in one subscription',
  TEAMS_THROTTLED: 'The Bot Connector asked us to slow down (429)',
  TEAMS_UNAVAILABLE: 'The Bot Connector is unavailable or the send failed in transit',
  TEAMS_CONVERSATION_GONE: 'The bot can no longer post into the conversation (403/404)',
  TEAMS_SEND_FAILED: 'The Bot Connector rejected the message',
  APP_PACKAGE_INVALID: 'The Teams app package could not be built',
} as const;

/** A registered error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
