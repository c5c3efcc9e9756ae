import type { StoredUserToken } from './user-token-store';

/** The token service's TokenResponse body for a stored entry. */
export function tokenResponse(entry: StoredUserToken, channelId: string): Record<string, string> {
  return {
    channelId: channelId || entry.channelId,
    connectionName: entry.connectionName,
    token: entry.accessToken,
    expiration: new Date(entry.expiresAt).toISOString(),
  };
}
