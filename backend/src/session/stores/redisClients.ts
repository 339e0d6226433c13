import { createClient } from 'redis';
import { RedisSubscriberFactory } from './RedisRevocationChannel';
import { ShardedSubscriberFactory } from './redisShardedChannel';
import { ClientOptions, IoRedisClient, NodeRedisClient, RedisClusterCommandClient } from './redisDrivers';
import { clusterShardedSubscribers, clusterSubscribers, ioRedisSubscriber, nodeRedisSubscribers } from './redisSubscribers';
import { commandTimeoutMessage, readyWithin, withinMs } from './redisTimeouts';

/**
 * The driver differences behind RedisStore, in one place. The store only sends raw commands
 * (EVALSHA, then EVAL on NOSCRIPT; PUBLISH) and opens subscribers, so it never meets the drivers'
 * typed script helpers, which differ (node-redis's `evalSha(sha, { keys, arguments })`, ioredis's
 * `evalsha(sha, numKeys, ...args)` and `defineCommand`). Raw replies are alike on all: the scripts
 * return flat arrays of strings, also on node-redis 5/6 speaking RESP3 (`RESP: 3`), where a plain
 * HGETALL would answer a map. What does differ is handled here: node-redis 4 has `quit()` and
 * `disconnect()` where 5/6 have `close()` and `destroy()`, and ignores a command `timeout` (our own
 * timer bounds every command); ioredis sends with `call()`, and subscribes on a duplicate
 * connection, delivering messages as 'message' events. Pub/sub is plain PUBLISH/SUBSCRIBE, except
 * on a cluster that spreads sessions: sharded (`sSubscribe`, node-redis 4.6+ and Redis 7+).
 */

/** One Redis connection as RedisStore uses it, whichever driver is under it. */
export interface RedisConnection {
    /** Sends one command; `key` routes it on a cluster. Never queues while disconnected. */
    send(key: string, args: string[]): Promise<unknown>;
    /** Opens subscribers like this connection; undefined when it tells nothing to copy. */
    readonly newSubscriber: RedisSubscriberFactory | undefined;
    /** Opens sharded subscribers, on a cluster client that exposes its slots. */
    readonly newShardedSubscriber?: ShardedSubscriberFactory;
    /** Closes what the store opened itself; a client of the app's own stays open. */
    close(): Promise<void>;
}

export interface RedisConnectionOptions {
    url: string;
    client?: unknown;
    cluster?: RedisClusterCommandClient;
    commandTimeoutMs: number;
    connectTimeoutMs: number;
}

/** Reconnection backs off to this, so a restarted server is found again within it. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** The wait before reconnection attempt `retries` (from 0): doubling from 50 ms up to MAX_RECONNECT_DELAY_MS. */
export function reconnectDelay(retries: number): number {
    return Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS);
}

/** How RedisStore's own clients (from `url`) connect: commands fail at once while disconnected, reconnection backs off. */
export function ownClientOptions(url: string, connectTimeoutMs: number): ClientOptions {
    return { url, disableOfflineQueue: true, socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: reconnectDelay } };
}

const SUPPORTED = 'a node-redis 4, 5 or 6 client (createClient()) or an ioredis client (new Redis())';

/** The connection for RedisStore's options; throws at construction for a client it does not take. */
export function redisConnection(options: RedisConnectionOptions): RedisConnection {
    const { client, cluster } = options;
    if (client !== undefined && cluster !== undefined) throw new TypeError('tsrpc-session: RedisStore takes a client or a cluster, not both');
    if (cluster) {
        if (isIoRedisCluster(cluster)) throw new TypeError(ioRedisClusterRefusal('cluster'));
        return clusterConnection(cluster, options.commandTimeoutMs);
    }
    if (client === undefined) return ownConnection(options);
    if (isIoRedisCluster(client)) throw new TypeError(ioRedisClusterRefusal('client'));
    if (isIoRedis(client)) return ioRedisConnection(client, options.commandTimeoutMs);
    if (isNodeRedisCluster(client)) throw new TypeError('tsrpc-session: RedisStore got a node-redis cluster as `client`: pass it as `cluster` instead');
    if (isNodeRedis(client)) return nodeRedisConnection(client, options.commandTimeoutMs);
    throw new TypeError(`tsrpc-session: RedisStore's \`client\` must be ${SUPPORTED}; got ${describe(client)}`
        + (isNodeRedis3(client) ? ' (node-redis 3, which is not supported: upgrade to redis 4 or later)' : ''));
}

function isIoRedis(client: unknown): client is IoRedisClient {
    const c = client as Partial<IoRedisClient>;
    return typeof c?.call === 'function' && typeof c.status === 'string' && typeof c.duplicate === 'function';
}

function isIoRedisCluster(client: unknown): boolean {
    return (client as { isCluster?: unknown })?.isCluster === true && typeof (client as { call?: unknown }).call === 'function';
}

function isNodeRedis(client: unknown): client is NodeRedisClient {
    const c = client as Partial<NodeRedisClient>;
    return typeof c?.sendCommand === 'function' && typeof c.isOpen === 'boolean';
}

function isNodeRedisCluster(client: unknown): boolean {
    return typeof (client as { sendCommand?: unknown })?.sendCommand === 'function' && Array.isArray((client as { masters?: unknown }).masters);
}

function isNodeRedis3(client: unknown): boolean {
    return typeof (client as { send_command?: unknown })?.send_command === 'function';
}

function ioRedisClusterRefusal(option: string): string {
    return `tsrpc-session: RedisStore does not take an ioredis Cluster (as \`${option}\`): pass a node-redis cluster (createCluster()) as \`cluster\`, or one node's ${SUPPORTED}`;
}

function describe(value: unknown): string {
    // Never the string itself: a URL may hold a password.
    if (typeof value === 'string') return 'a string (a URL goes in `url`)';
    if (value === null || typeof value !== 'object') return String(value);
    return `an object of class ${value.constructor?.name ?? 'Object'} without sendCommand() or call()`;
}

/** The client RedisStore creates from `url`, with the installed `redis` (4, 5 or 6). */
function ownConnection({ url, commandTimeoutMs, connectTimeoutMs }: RedisConnectionOptions): RedisConnection {
    const own = createClient(ownClientOptions(url, connectTimeoutMs)) as unknown as NodeRedisClient & { connect(): Promise<unknown> };
    // node-redis emits 'error' on every failed reconnection; the rejected commands report it.
    own.on?.('error', () => {});
    let connecting: Promise<unknown> | undefined;
    const ready = async () => {
        if (!connecting) {
            connecting = own.connect();
            // Rejects only when the store is closed before ever connecting.
            connecting.catch(() => {});
        }
        if (!own.isReady) await withinMs(connecting, connectTimeoutMs, `Redis did not connect within ${connectTimeoutMs} ms`);
    };
    return {
        async send(_key, args) {
            await ready();
            return withinMs(own.sendCommand(args, { timeout: commandTimeoutMs }), commandTimeoutMs, commandTimeoutMessage(commandTimeoutMs));
        },
        newSubscriber: nodeRedisSubscribers(own),
        async close() {
            if (!own.isOpen) return;
            // node-redis 5 and 6 have close()/destroy(); 4 has quit()/disconnect().
            const client = own as unknown as Record<'close' | 'quit' | 'destroy' | 'disconnect', undefined | (() => unknown)>;
            if (own.isReady) await (client.close ?? client.quit)!.call(own);
            else await Promise.resolve((client.destroy ?? client.disconnect)!.call(own)).catch(() => {});
        },
    };
}

/** A node-redis client of the app's own, connected by the app. */
function nodeRedisConnection(client: NodeRedisClient, commandTimeoutMs: number): RedisConnection {
    return {
        async send(_key, args) {
            if (!client.isOpen) throw new Error('tsrpc-session: the node-redis client given to RedisStore is not connected: call `await client.connect()` first');
            // Waiting for a reconnection instead of queueing: a write queued now could run long after its call failed.
            if (client.isReady === false) await readyWithin(client, commandTimeoutMs);
            return withinMs(client.sendCommand(args, { timeout: commandTimeoutMs }), commandTimeoutMs, commandTimeoutMessage(commandTimeoutMs));
        },
        newSubscriber: nodeRedisSubscribers(client),
        async close() {},
    };
}

/** An ioredis client of the app's own (ioredis connects it itself unless `lazyConnect`). */
function ioRedisConnection(client: IoRedisClient, commandTimeoutMs: number): RedisConnection {
    return {
        async send(_key, args) {
            if (client.status === 'end') throw new Error('tsrpc-session: the ioredis client given to RedisStore was closed (quit() or disconnect())');
            if (client.status === 'wait') throw new Error('tsrpc-session: the ioredis client given to RedisStore is not connected (lazyConnect): call `await client.connect()` first');
            if (client.status !== 'ready') await readyWithin(client, commandTimeoutMs);
            const [command, ...rest] = args;
            return withinMs(client.call(command, ...rest), commandTimeoutMs, commandTimeoutMessage(commandTimeoutMs));
        },
        newSubscriber: () => ioRedisSubscriber(client),
        async close() {},
    };
}

function clusterConnection(cluster: RedisClusterCommandClient, commandTimeoutMs: number): RedisConnection {
    return {
        send: (key, args) => withinMs(cluster.sendCommand(key, false, args, { timeout: commandTimeoutMs }), commandTimeoutMs, commandTimeoutMessage(commandTimeoutMs)),
        newSubscriber: clusterSubscribers(cluster),
        newShardedSubscriber: clusterShardedSubscribers(cluster, commandTimeoutMs),
        async close() {},
    };
}
