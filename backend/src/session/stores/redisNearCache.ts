import { createClient } from 'redis';

/**
 * RedisStore's near cache: session hashes this process has read, kept in memory and dropped by
 * Redis itself (server-assisted client-side caching, RESP3 `CLIENT TRACKING`) when anyone changes
 * them. Only reads use it; every write still runs as a Lua script in Redis.
 *
 * Every read that may fill the cache goes over the tracking connection, so Redis remembers that this
 * connection holds the key and pushes an `invalidate` on it when the key changes, is deleted or
 * expires. Three rules keep it from serving what Redis no longer holds:
 * - a fill is dropped when an invalidation for its key (or a flush) arrived while its read was in
 *   flight: the read may have been answered before the change the invalidation reports;
 * - the cache empties at once when the tracking connection is lost (invalidations sent meanwhile
 *   are lost with it), and stays off until the connection is back with tracking on;
 * - the store drops the keys it writes itself when the write returns, so this process reads its own
 *   writes without waiting for the invalidation's round trip.
 */

/** A connection with tracking on whose pushes node-redis 5/6 emits as `invalidate` events (`emitInvalidate`). */
export interface TrackingClient {
    connect(): Promise<unknown>;
    sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
    on(event: string, listener: (...args: never[]) => void): unknown;
    destroy?(): void;
    disconnect?(): Promise<void>;
}

/** Sends one command; `undefined` where the read must go over the store's own connection. */
export type NearSend = ((args: string[]) => Promise<unknown>) | undefined;

export interface NearCacheStats {
    /** Reads answered from memory, with no Redis command. */
    hits: number;
    /** Reads that went to Redis. */
    misses: number;
    /** Times the whole cache was emptied: a lost tracking connection or a flush reported by Redis. */
    flushes: number;
    /** Entries held now. */
    size: number;
}

/** Where the tracking connection is: caching happens only in `tracking`. */
type Phase =
    | { name: 'idle' }
    | { name: 'connecting' }
    | { name: 'verifying' }
    | { name: 'tracking' }
    | { name: 'closed' };

export class RedisNearCache<T> {
    readonly #entries = new Map<string, T>();
    /** Reads in flight that may fill the cache, per key: how many, and the last invalidation's number. */
    readonly #fills = new Map<string, { reads: number; invalidatedAt: number }>();
    readonly #client: TrackingClient;
    readonly #maxEntries: number;
    readonly #commandTimeoutMs: number;
    #phase: Phase = { name: 'idle' };
    /** Numbers invalidations and flushes, so a fill knows whether one arrived since its read began. */
    #sequence = 0;
    /** Numbers connections, so a verification answered after a loss does not turn caching on. */
    #epoch = 0;
    #hits = 0;
    #misses = 0;
    #flushes = 0;

    constructor(client: TrackingClient, maxEntries: number, commandTimeoutMs: number) {
        if (!Number.isInteger(maxEntries) || maxEntries < 1) {
            throw new TypeError(`tsrpc-session: RedisStore's nearCache.maxEntries must be a positive integer, got ${maxEntries}`);
        }
        this.#client = client;
        this.#maxEntries = maxEntries;
        this.#commandTimeoutMs = commandTimeoutMs;
        client.on('invalidate', ((key: Buffer | string | null) => {
            if (key === null) this.flush();
            else this.invalidate(String(key));
        }) as (...args: never[]) => void);
        // node-redis reports a lost socket by 'error' (or 'end' on close), then 'reconnecting'.
        for (const event of ['error', 'end', 'reconnecting']) client.on(event, () => this.#lost());
        client.on('ready', () => void this.#verify());
    }

    /** The cached value of `key`, with no command; a hit moves it to the end of the eviction order. */
    cached(key: string): T | undefined {
        const hit = this.#entries.get(key);
        if (hit === undefined) return undefined;
        // Least recently used first out: move the entry to the end of the Map's order.
        this.#entries.delete(key);
        this.#entries.set(key, hit);
        this.#hits++;
        return hit;
    }

    /**
     * What `read` answers for a key not cached, kept when it is defined and no invalidation for `key`
     * arrived meanwhile. `read` gets the tracking connection's send, or undefined while the cache is
     * off: then it reads over the store's own connection.
     */
    async fill(key: string, read: (send: NearSend) => Promise<T | undefined>): Promise<T | undefined> {
        this.#misses++;
        if (this.#phase.name !== 'tracking') {
            this.#connect();
            return await read(undefined);
        }
        const startedAt = this.#sequence;
        const fill = this.#fills.get(key) ?? { reads: 0, invalidatedAt: -1 };
        fill.reads++;
        this.#fills.set(key, fill);
        let value: T | undefined;
        try {
            value = await read(args => this.#client.sendCommand(args, { timeout: this.#commandTimeoutMs }));
        } finally {
            if (--fill.reads === 0) this.#fills.delete(key);
        }
        if (value !== undefined && fill.invalidatedAt < startedAt && this.#phase.name === 'tracking') this.#put(key, value);
        return value;
    }

    /** Forgets `key`, and spoils the fills of it in flight. */
    invalidate(key: string): void {
        this.#sequence++;
        this.#entries.delete(key);
        const fill = this.#fills.get(key);
        if (fill) fill.invalidatedAt = this.#sequence;
    }

    /** Forgets everything, and spoils every fill in flight. */
    flush(): void {
        this.#sequence++;
        this.#flushes++;
        this.#entries.clear();
        for (const fill of this.#fills.values()) fill.invalidatedAt = this.#sequence;
    }

    /**
     * Resolves once every invalidation Redis sent before now has been applied: a PING on the tracking
     * connection is answered after the pushes queued before it. For writes whose keys the store cannot
     * all name (destroy follows renewal chains, destroyByUser a user's set).
     */
    async settled(): Promise<void> {
        if (this.#phase.name !== 'tracking') return;
        // A lost connection empties the cache, which settles it too.
        await this.#client.sendCommand(['PING'], { timeout: this.#commandTimeoutMs }).catch(() => {});
    }

    stats(): NearCacheStats {
        return { hits: this.#hits, misses: this.#misses, flushes: this.#flushes, size: this.#entries.size };
    }

    close(): void {
        this.#phase = { name: 'closed' };
        this.flush();
        try {
            // node-redis 5 and 6: destroy(); 4: disconnect(), which rejects when never connected.
            if (this.#client.destroy) this.#client.destroy();
            else void this.#client.disconnect?.().catch(() => {});
        } catch {
            // Never connected: nothing to close.
        }
    }

    #put(key: string, value: T): void {
        this.#entries.set(key, value);
        if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    }

    #connect(): void {
        if (this.#phase.name !== 'idle') return;
        this.#phase = { name: 'connecting' };
        // Failures come back as 'error' events; node-redis keeps reconnecting by itself.
        this.#client.connect().catch(() => {});
    }

    #lost(): void {
        if (this.#phase.name === 'closed') return;
        this.#epoch++;
        if (this.#phase.name !== 'connecting') this.#phase = { name: 'connecting' };
        this.flush();
    }

    /** Turns caching on only when Redis confirms tracking on this connection (a driver without `emitInvalidate` leaves it off). */
    async #verify(): Promise<void> {
        if (this.#phase.name === 'closed') return;
        const epoch = this.#epoch;
        this.#phase = { name: 'verifying' };
        const info = await this.#client.sendCommand(['CLIENT', 'TRACKINGINFO'], { timeout: this.#commandTimeoutMs }).catch(() => undefined);
        if (this.#phase.name !== 'verifying' || this.#epoch !== epoch) return;
        const flags = (info as { flags?: unknown } | undefined)?.flags;
        this.#phase = Array.isArray(flags) && flags.map(String).includes('on') ? { name: 'tracking' } : { name: 'connecting' };
    }
}

export interface NearCacheOptions {
    /** How many sessions the cache holds; past it the least recently read goes first. */
    maxEntries: number;
}

/** Reconnection backs off to this, as the store's own client does. */
const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * The tracking connection: a client of the installed `redis` for `url`, or a duplicate of the app's
 * node-redis client, speaking RESP3 with tracking on (`emitInvalidate`, node-redis 5 and 6).
 */
export function trackingClient(options: { url: string; client?: unknown; cluster?: unknown; connectTimeoutMs: number }): TrackingClient {
    if (options.cluster) {
        throw new TypeError('tsrpc-session: RedisStore\'s nearCache does not run on a cluster client yet: leave it out, or use one node\'s url');
    }
    const tracking = { RESP: 3, emitInvalidate: true, disableOfflineQueue: true } as const;
    if (options.client === undefined) {
        return createClient({
            url: options.url,
            ...tracking,
            socket: { connectTimeout: options.connectTimeoutMs, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) },
        }) as unknown as TrackingClient;
    }
    const client = options.client as { duplicate?: (overrides: object) => unknown; sendCommand?: unknown; isOpen?: unknown };
    if (typeof client.duplicate !== 'function' || typeof client.sendCommand !== 'function' || typeof client.isOpen !== 'boolean') {
        throw new TypeError('tsrpc-session: RedisStore\'s nearCache needs a url or a node-redis 5 or 6 client (RESP3 tracking); ioredis does not speak RESP3');
    }
    return client.duplicate(tracking) as TrackingClient;
}
