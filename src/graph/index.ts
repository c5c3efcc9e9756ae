export { createGraphClient, type GraphClient } from './graph-client';
export type { GraphPresence, GraphUser } from './graph-types';
