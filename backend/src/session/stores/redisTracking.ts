/** The tracking connections under RedisStore's near cache (./redisNearCache.ts), as it sees them. */

/** A connection with tracking on whose pushes node-redis 5/6 emits as `invalidate` events (`emitInvalidate`). */
export interface TrackingClient {
    connect(): Promise<unknown>;
    sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
    on(event: string, listener: (...args: never[]) => void): unknown;
    destroy?(): void;
    disconnect?(): Promise<void>;
}

/** What a tracker reports to the cache. */
export interface TrackerEvents {
    /** Redis dropped `key` from this connection's tracking (it changed), or everything (`null`: a flush). */
    invalidate(key: string | null): void;
    /** A tracking connection is lost, or the keys' owners changed: invalidations may have been missed. */
    lost(): void;
    /** Every connection is (back) up: time to verify tracking. */
    ready(): void;
}

/**
 * The connections the near cache reads over and hears invalidations on: one to a server
 * (nodeTracker), or one per master of a cluster (./redisClusterTracking.ts).
 */
export interface Tracker {
    /** Connects; what happens from then on goes to `events`. */
    start(events: TrackerEvents): void;
    /** Sends `args` over the connection that tracks `key`. */
    send(key: string, args: string[]): Promise<unknown>;
    /** Whether Redis confirms tracking on every connection. */
    verify(): Promise<boolean>;
    /** A round trip on every connection, answered after the pushes queued before it. */
    ping(): Promise<void>;
    close(): void;
}

/** The tracker of one server's connection: node-redis reconnects it by itself. */
export function nodeTracker(client: TrackingClient, commandTimeoutMs: number): Tracker {
    const send = (args: string[]) => client.sendCommand(args, { timeout: commandTimeoutMs });
    return {
        start(events) {
            client.on('invalidate', ((key: Buffer | string | null) => events.invalidate(key === null ? null : String(key))) as (...args: never[]) => void);
            // node-redis reports a lost socket by 'error' (or 'end' on close), then 'reconnecting'.
            for (const event of ['error', 'end', 'reconnecting']) client.on(event, () => events.lost());
            client.on('ready', () => events.ready());
            // Failures come back as 'error' events; node-redis keeps reconnecting by itself.
            client.connect().catch(() => {});
        },
        send: (_key, args) => send(args),
        verify: async () => trackingOn(await send(['CLIENT', 'TRACKINGINFO'])),
        async ping() {
            await send(['PING']);
        },
        close() {
            try {
                // node-redis 5 and 6: destroy(); 4: disconnect(), which rejects when never connected.
                if (client.destroy) client.destroy();
                else void client.disconnect?.().catch(() => {});
            } catch {
                // Never connected: nothing to close.
            }
        },
    };
}

/** Whether a CLIENT TRACKINGINFO reply says tracking is on. */
export function trackingOn(info: unknown): boolean {
    const flags = (info as { flags?: unknown } | undefined)?.flags;
    return Array.isArray(flags) && flags.map(String).includes('on');
}

/** What a tracking connection needs: RESP3 with its pushes emitted (`emitInvalidate`, node-redis 5 and 6), never queueing. */
export const TRACKING_OPTIONS = { RESP: 3, emitInvalidate: true, disableOfflineQueue: true } as const;
