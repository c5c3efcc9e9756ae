import type { Server } from 'restify';
import type { Logger } from '../../../src/logging/logger';
import type { Directory } from '../directory/directory';
import type { PresenceStore } from '../presence/presence-store';
import type { AccessTokenVerifier } from './request-auth';

/** What every Graph route module needs. */
export interface GraphRouteDeps {
  server: Server;
  /** The URL prefix Graph routes live under, e.g. `/v1.0`. */
  prefix: string;
  /** The absolute Graph base URL (for `@odata.context` and links). */
  graphBaseUrl: () => string;
  verifier: AccessTokenVerifier;
  directory: Directory;
  presence: PresenceStore;
  logger: Logger;
}
