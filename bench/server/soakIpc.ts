/** Messages between the soak's load generator and its server process. */

/** What the plugin's internal `footprint()` reports (stripped from the published types, so restated here). */
export interface SessionFootprint {
    boundConnections: number;
    boundSessions: number;
    verifiedCookies: number;
    storeKeys: number;
}

/** The soak's four servers. */
export type SoakTarget = 'http-memory' | 'ws-memory' | 'http-redis' | 'ws-redis';

export interface SoakSample {
    /** Heap used after a full GC: what the process keeps, not what awaits collection. */
    heapUsedBytes: number;
    rssBytes: number;
    memorySessions: number;
    webSockets: number;
    /** Of the memory-store plugin and the Redis one, added. */
    footprint: SessionFootprint;
    calls: number;
}

export type FromSoakServer = { type: 'ready'; ports: Record<SoakTarget, number> } | { type: 'sample'; sample: SoakSample } | { type: 'failed'; message: string };
export type ToSoakServer = { type: 'sample' } | { type: 'stop' };

/** Small enough that the soak's churn reaches it: the store must then stay at its bound. */
export const SOAK_MEMORY_MAX_SESSIONS = 2_000;
