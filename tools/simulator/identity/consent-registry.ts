import type { RefreshGrant } from './refresh-token-registry';

/** A user's delegated consent to an app; `grantedAt` is epoch ms. */
export interface ConsentRecord {
  userId: string;
  tenantId: string;
  appId: string;
  scopes: string[];
  grantedAt: number;
}

/** Who consented to which app with which scopes. */
export interface ConsentRegistry {
  /** Records (or widens) the consent a grant implies. */
  record(grant: RefreshGrant): void;
  has(userId: string, appId: string): boolean;
  all(): ConsentRecord[];
  /** Forgets every consent of `userId`; true if there was any. */
  revokeUser(userId: string): boolean;
}

/** Builds an in-memory consent registry dated by `now` (epoch ms). */
export function createConsentRegistry(now: () => number): ConsentRegistry {
  const consents = new Map<string, Map<string, ConsentRecord>>();
  return {
    record(grant) {
      const byApp = consents.get(grant.userId) ?? new Map<string, ConsentRecord>();
      const previous = byApp.get(grant.appId);
      byApp.set(grant.appId, {
        userId: grant.userId,
        tenantId: grant.tenantId,
        appId: grant.appId,
        scopes: [...new Set([...(previous?.scopes ?? []), ...grant.scopes])],
        grantedAt: previous?.grantedAt ?? now(),
      });
      consents.set(grant.userId, byApp);
    },
    has: (userId, appId) => consents.get(userId)?.has(appId) ?? false,
    all: () =>
      [...consents.values()]
        .flatMap((byApp) => [...byApp.values()])
        .map((record) => ({ ...record, scopes: [...record.scopes] })),
    revokeUser: (userId) => consents.delete(userId),
  };
}
