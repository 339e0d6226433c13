import { BoundedMap } from '../../../../shared/boundedMap';
import { createClient } from 'redis';
import { clusterTracker } from './redisClusterTracking';
import { ownClientOptions } from './redisClients';
import { nodeTracker, Tracker, TRACKING_OPTIONS, TrackingClient } from './redisTracking';

/**
 * RedisStore's near cache: session hashes this process has read, kept in memory and dropped by
 * Redis itself (server-assisted client-side caching, RESP3 `CLIENT TRACKING`) when anyone changes
 * them. Only reads use it; every write still runs as a Lua script in Redis.
 *
 * Every read that may fill the cache goes over the tracking connection, so Redis remembers that this
 * connection holds the key and pushes an `invalidate` on it when the key changes, is deleted or
 * expires. On a cluster there is one tracking connection per master, each key read over its
 * master's (./redisClusterTracking.ts). Three rules keep it from serving what Redis no longer holds:
 * - a fill is dropped when an invalidation for its key (or a flush) arrived while its read was in
 *   flight: the read may have been answered before the change the invalidation reports;
 * - the cache empties at once when a tracking connection is lost (invalidations sent meanwhile
 *   are lost with it), and stays off until every connection is back with tracking on;
 * - the store drops the keys it writes itself when the write returns, so this process reads its own
 *   writes without waiting for the invalidation's round trip.
 */

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
    readonly #entries: BoundedMap<string, T>;
    /** Reads in flight that may fill the cache, per key: how many, and the last invalidation's number. */
    readonly #fills = new Map<string, { reads: number; invalidatedAt: number }>();
    readonly #tracker: Tracker;
    #phase: Phase = { name: 'idle' };
    /** Numbers invalidations and flushes, so a fill knows whether one arrived since its read began. */
    #sequence = 0;
    /** Numbers connections, so a verification answered after a loss does not turn caching on. */
    #epoch = 0;
    #hits = 0;
    #misses = 0;
    #flushes = 0;

    constructor(tracker: Tracker, maxEntries: number) {
        if (!Number.isInteger(maxEntries) || maxEntries < 1) {
            throw new TypeError(`tsrpc-session: RedisStore's nearCache.maxEntries must be a positive integer, got ${maxEntries}`);
        }
        this.#tracker = tracker;
        this.#entries = new BoundedMap(maxEntries);
    }

    /** The cached value of `key`, with no command; a hit keeps it among the recently used. */
    cached(key: string): T | undefined {
        const hit = this.#entries.get(key);
        if (hit === undefined) return undefined;
        this.#hits++;
        return hit;
    }

    /**
     * What `read` answers for a key not cached, kept when it is defined and no invalidation for `key`
     * arrived meanwhile. `read` gets the tracking connection's send, or undefined while the cache is
     * off: then it reads over the store's own connection, as it does again when the tracking
     * connection is lost during the read (on a cluster: a MOVED or ASK reply, the slot moved).
     */
    async fill(key: string, read: (send: NearSend) => Promise<T | undefined>): Promise<T | undefined> {
        this.#misses++;
        if (this.#phase.name !== 'tracking') {
            this.#connect();
            return await read(undefined);
        }
        const [startedAt, epoch] = [this.#sequence, this.#epoch];
        const fill = this.#fills.get(key) ?? { reads: 0, invalidatedAt: -1 };
        fill.reads++;
        this.#fills.set(key, fill);
        let value: T | undefined;
        try {
            value = await read(args => this.#tracker.send(key, args));
        } catch (e) {
            if (this.#epoch === epoch) throw e;
            return await read(undefined);
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
     * connections is answered after the pushes queued before it. For writes whose keys the store
     * cannot all name (destroy follows renewal chains, destroyByUser a user's set).
     */
    async settled(): Promise<void> {
        if (this.#phase.name !== 'tracking') return;
        // A lost connection empties the cache, which settles it too.
        await this.#tracker.ping().catch(() => {});
    }

    stats(): NearCacheStats {
        return { hits: this.#hits, misses: this.#misses, flushes: this.#flushes, size: this.#entries.size };
    }

    close(): void {
        this.#phase = { name: 'closed' };
        this.flush();
        this.#tracker.close();
    }

    #put(key: string, value: T): void {
        this.#entries.set(key, value);
    }

    #connect(): void {
        if (this.#phase.name !== 'idle') return;
        this.#phase = { name: 'connecting' };
        this.#tracker.start({
            invalidate: key => (key === null ? this.flush() : this.invalidate(key)),
            lost: () => this.#lost(),
            ready: () => void this.#verify(),
        });
    }

    #lost(): void {
        if (this.#phase.name === 'closed') return;
        this.#epoch++;
        if (this.#phase.name !== 'connecting') this.#phase = { name: 'connecting' };
        this.flush();
    }

    /** Turns caching on only when Redis confirms tracking on every connection (a driver without `emitInvalidate` leaves it off). */
    async #verify(): Promise<void> {
        if (this.#phase.name === 'closed') return;
        const epoch = this.#epoch;
        this.#phase = { name: 'verifying' };
        const on = await this.#tracker.verify().catch(() => false);
        if (this.#phase.name !== 'verifying' || this.#epoch !== epoch) return;
        this.#phase = on ? { name: 'tracking' } : { name: 'connecting' };
    }
}

export interface NearCacheOptions {
    /** How many sessions the cache holds at most; past it the least recently read go first, half of them at a time. */
    maxEntries: number;
}

/**
 * The near cache's tracker: a client of the installed `redis` for `url`, a duplicate of the app's
 * node-redis client, or one connection per master of the app's node-redis cluster.
 */
export function nearTracker(options: { url: string; client?: unknown; cluster?: unknown; commandTimeoutMs: number; connectTimeoutMs: number }): Tracker {
    const { commandTimeoutMs, connectTimeoutMs } = options;
    if (options.cluster) return clusterTracker(options.cluster, commandTimeoutMs, connectTimeoutMs);
    if (options.client === undefined) {
        const client = createClient({ ...ownClientOptions(options.url, connectTimeoutMs), ...TRACKING_OPTIONS });
        return nodeTracker(client as unknown as TrackingClient, commandTimeoutMs);
    }
    const client = options.client as { duplicate?: (overrides: object) => unknown; sendCommand?: unknown; isOpen?: unknown };
    if (typeof client.duplicate !== 'function' || typeof client.sendCommand !== 'function' || typeof client.isOpen !== 'boolean') {
        throw new TypeError('tsrpc-session: RedisStore\'s nearCache needs a url or a node-redis 5 or 6 client (RESP3 tracking); ioredis does not speak RESP3');
    }
    return nodeTracker(client.duplicate(TRACKING_OPTIONS) as TrackingClient, commandTimeoutMs);
}
