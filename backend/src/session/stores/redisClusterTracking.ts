import { reconnectDelay } from './redisClients';
import { ClientOptions, clusterNodeClient, ClusterNodes } from './redisDrivers';
import { Tracker, TrackerEvents, TRACKING_OPTIONS, TrackingClient, trackingOn } from './redisTracking';
import { keySlot } from './redisShardedChannel';

/**
 * The near cache's connections on a Redis Cluster. Redis sends a key's invalidation only to a
 * connection that read the key, from the node serving its slot: so there is one RESP3 tracking
 * connection per master, and a read that may fill the cache goes over the connection of the master
 * serving the key's slot, by a slot map of its own (CLUSTER SLOTS).
 *
 * Connections of its own, not the app's cluster client's: those speak the app's protocol (RESP2 by
 * default), and tracking on them would make Redis track every key the app reads.
 *
 * The simplest rule that never leaves a stale entry: anything that may change who serves a slot
 * counts as a lost connection, which empties the whole cache and keeps it off until a fresh set of
 * connections, on a fresh slot map, all confirm tracking. That is:
 * - a tracking connection lost (a master killed or restarted, CLIENT KILL): its invalidations may
 *   be lost with it;
 * - a MOVED or ASK reply to a read over it: the slot moved (failover, resharding);
 * - a slot map naming no master for a slot.
 * A master demoted by a graceful failover (CLUSTER FAILOVER) keeps its connection open, and keeps
 * invalidating: its new master's writes reach it by replication, and a full resync reports a flush.
 * The first read of its slots there answers MOVED, which moves the cache to the new master.
 */

type Address = { host: string; port: number };

const SLOTS = 16384;

/** A tracker on the masters of the app's node-redis cluster; throws for a cluster client that does not expose its nodes. */
export function clusterTracker(cluster: unknown, commandTimeoutMs: number, connectTimeoutMs: number): Tracker {
    const source = cluster as ClusterNodes;
    if (!Array.isArray(source?.masters)) {
        throw new TypeError('tsrpc-session: RedisStore\'s nearCache on a cluster needs node-redis\'s cluster client (createCluster() of redis 4.6+), which lists its masters');
    }
    return new ClusterTracker(source, commandTimeoutMs, connectTimeoutMs);
}

class ClusterTracker implements Tracker {
    readonly #source: ClusterNodes;
    readonly #commandTimeoutMs: number;
    readonly #connectTimeoutMs: number;
    #events: TrackerEvents | undefined;
    /** The tracking connections, by master address (`host:port`). */
    #connections = new Map<string, TrackingClient>();
    /** The master address serving each slot, by the last slot map. */
    #owners: (string | undefined)[] = [];
    /** Numbers sets of connections: events of an older set are ignored. */
    #generation = 0;
    #retries = 0;
    #retryTimer: NodeJS.Timeout | undefined;
    #closed = false;

    constructor(source: ClusterNodes, commandTimeoutMs: number, connectTimeoutMs: number) {
        this.#source = source;
        this.#commandTimeoutMs = commandTimeoutMs;
        this.#connectTimeoutMs = connectTimeoutMs;
    }

    start(events: TrackerEvents): void {
        this.#events = events;
        void this.#open();
    }

    async send(key: string, args: string[]): Promise<unknown> {
        const generation = this.#generation;
        const connection = this.#connections.get(this.#owners[keySlot(key)] ?? '');
        if (!connection) {
            this.#lost(generation);
            throw new Error(`tsrpc-session: no tracking connection serves the slot of ${key}`);
        }
        try {
            return await connection.sendCommand(args, { timeout: this.#commandTimeoutMs });
        } catch (e) {
            if (/^(MOVED|ASK) /.test((e as Error)?.message)) this.#lost(generation);
            throw e;
        }
    }

    async verify(): Promise<boolean> {
        const connections = [...this.#connections.values()];
        const replies = await Promise.all(connections.map(c => c.sendCommand(['CLIENT', 'TRACKINGINFO'], { timeout: this.#commandTimeoutMs })));
        return connections.length > 0 && replies.every(trackingOn);
    }

    async ping(): Promise<void> {
        await Promise.all([...this.#connections.values()].map(c => c.sendCommand(['PING'], { timeout: this.#commandTimeoutMs })));
    }

    close(): void {
        this.#closed = true;
        clearTimeout(this.#retryTimer);
        this.#generation++;
        this.#destroyAll();
    }

    /** A fresh slot map and a fresh connection per master; reports ready once all are up, or tries again. */
    async #open(): Promise<void> {
        const generation = ++this.#generation;
        this.#destroyAll();
        try {
            const owners = await this.#slotMap();
            if (generation !== this.#generation) return;
            if (owners.includes(undefined)) throw new Error('the slot map leaves slots without a master');
            this.#owners = owners;
            const masters = [...new Set(owners.filter((o): o is string => o !== undefined))];
            for (const address of masters) this.#connections.set(address, this.#connect(address, generation));
            await Promise.all([...this.#connections.values()].map(c => c.connect()));
            if (generation !== this.#generation) return;
            this.#retries = 0;
            this.#events?.ready();
        } catch {
            if (generation === this.#generation) this.#lost(generation);
        }
    }

    /** One tracking connection to a master. */
    #connect(address: string, generation: number): TrackingClient {
        const client = this.#clientAt(address, TRACKING_OPTIONS) as unknown as TrackingClient;
        client.on('invalidate', ((key: Buffer | string | null) => {
            if (generation === this.#generation) this.#events?.invalidate(key === null ? null : String(key));
        }) as (...args: never[]) => void);
        for (const event of ['error', 'end']) client.on(event, () => this.#lost(generation));
        return client;
    }

    /** Reports the loss once per set of connections, and opens a new set after a backoff. */
    #lost(generation: number): void {
        if (this.#closed || generation !== this.#generation) return;
        this.#generation++;
        this.#destroyAll();
        this.#events?.lost();
        const delay = reconnectDelay(this.#retries++);
        this.#retryTimer = setTimeout(() => void this.#open(), delay);
        this.#retryTimer.unref();
    }

    #destroyAll(): void {
        for (const connection of this.#connections.values()) {
            try {
                connection.destroy?.();
            } catch {
                // Never connected: nothing to close.
            }
        }
        this.#connections.clear();
    }

    /** CLUSTER SLOTS from the first node that answers: the masters of the last map first, then the app's cluster's nodes. */
    async #slotMap(): Promise<(string | undefined)[]> {
        const known = [...new Set(this.#owners.filter((o): o is string => o !== undefined))];
        const candidates = [...new Set([...known, ...[...this.#source.masters ?? [], ...this.#source.replicas ?? []].map(n => `${n.host}:${n.port}`)])];
        let failure: unknown = new Error('the cluster client lists no node');
        for (const address of candidates) {
            const client = this.#clientAt(address, {});
            client.on('error', () => {});
            try {
                await client.connect();
                return slotOwners(await client.sendCommand(['CLUSTER', 'SLOTS']), parseAddress(address).host, this.#mapAddress);
            } catch (e) {
                failure = e;
            } finally {
                client.destroy();
            }
        }
        throw failure;
    }

    /** A client of the node at `address`; never reconnecting by itself, since the slot map may have changed meanwhile. */
    #clientAt(address: string, options: ClientOptions) {
        return clusterNodeClient(this.#source, parseAddress(address), { ...options, socket: { connectTimeout: this.#connectTimeoutMs } });
    }

    /** The app's `nodeAddressMap`, so the connections reach the nodes as its cluster client does. */
    readonly #mapAddress = (address: string): string => {
        const map = this.#source.options?.nodeAddressMap as ((address: string) => Address | undefined) | Record<string, Address> | undefined;
        const mapped = typeof map === 'function' ? map(address) : map?.[address];
        return mapped ? `${mapped.host}:${mapped.port}` : address;
    };
}

/** The master address of each slot, from a CLUSTER SLOTS reply (`[from, to, [host, port, id], ...replicas]` per range). */
function slotOwners(reply: unknown, askedHost: string, mapAddress: (address: string) => string): (string | undefined)[] {
    const owners = new Array<string | undefined>(SLOTS).fill(undefined);
    for (const range of reply as [number, number, [string, number]][]) {
        const [from, to, [host, port]] = range;
        // An empty host means "the node you asked".
        const address = mapAddress(`${String(host) || askedHost}:${Number(port)}`);
        for (let slot = Number(from); slot <= Number(to); slot++) owners[slot] = address;
    }
    return owners;
}

function parseAddress(address: string): Address {
    const at = address.lastIndexOf(':');
    return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}
