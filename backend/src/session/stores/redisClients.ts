import { createClient } from 'redis';
import { once } from 'events';
import { RedisSubscriber, RedisSubscriberFactory } from './RedisRevocationChannel';
import { keySlot, ShardedSubscriberFactory } from './redisShardedChannel';

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

/** A node-redis client (`createClient()` of redis 4, 5 or 6). */
export interface NodeRedisClient {
    sendCommand(args: string[], options?: { timeout?: number }): Promise<unknown>;
    readonly isOpen?: boolean;
    readonly isReady?: boolean;
    readonly options?: object;
    duplicate?(overrides?: object): unknown;
    on?(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** An ioredis client (`new Redis()`), standalone or Sentinel; not an ioredis Cluster. */
export interface IoRedisClient {
    call(command: string, ...args: string[]): Promise<unknown>;
    readonly status: string;
    duplicate(override?: object): unknown;
}

/** What RedisStore needs of a node-redis cluster client (`createCluster()`). */
export interface RedisClusterCommandClient {
    sendCommand(firstKey: string, isReadonly: boolean, args: string[], options?: { timeout?: number }): Promise<unknown>;
}

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

export type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;

/** What node-redis clusters expose (`createCluster()`); a cluster client without them gets no channel and no near cache. */
export interface ClusterNodes {
    masters?: { host: string; port: number }[];
    slots?: ({ master: { host: string; port: number } } | undefined)[];
    replicas?: { host: string; port: number }[];
    options?: { defaults?: ClientOptions; nodeAddressMap?: unknown };
}

/**
 * A client of one node of the app's cluster, with the cluster's client defaults (and `options` on
 * top); never reconnecting by itself: its caller decides which node to go to next.
 */
export function clusterNodeClient(cluster: ClusterNodes, node: { host: string; port: number }, options: ClientOptions = {}) {
    const defaults = cluster.options?.defaults ?? {};
    const socket = { ...defaults.socket, ...options.socket, host: node.host, port: node.port, reconnectStrategy: false } as ClientOptions['socket'];
    return createClient({ ...defaults, ...options, socket });
}

/** Subscribers to each node of a cluster in turn (any node hears every PUBLISH). */
function clusterSubscribers(source: RedisClusterCommandClient): RedisSubscriberFactory | undefined {
    const cluster = source as ClusterNodes;
    if (!Array.isArray(cluster.masters)) return undefined;
    return attempt => {
        const nodes = [...(cluster.masters ?? []), ...(cluster.replicas ?? [])];
        const client = clusterNodeClient(cluster, nodes[attempt % nodes.length]);
        return nodeRedisSubscriber(client as unknown as NodeRedisClient);
    };
}

/**
 * Sharded subscribers of a cluster: each connects to the master serving its channel's slot. It asks
 * through the cluster client first, which follows MOVED and so learns a failover's new master.
 */
function clusterShardedSubscribers(source: RedisClusterCommandClient, commandTimeoutMs: number): ShardedSubscriberFactory | undefined {
    const cluster = source as ClusterNodes;
    if (!Array.isArray(cluster.masters) || !Array.isArray(cluster.slots)) return undefined;
    return channel => {
        const errorListeners: ((e: Error) => void)[] = [];
        let subscriber: RedisSubscriber | undefined;
        return {
            async connect() {
                await withinMs(source.sendCommand(channel, false, ['EXISTS', channel], { timeout: commandTimeoutMs }), commandTimeoutMs, commandTimeoutMessage(commandTimeoutMs));
                const owner = cluster.slots?.[keySlot(channel)]?.master;
                if (!owner) throw new Error(`no master serves the slot of ${channel}`);
                const client = clusterNodeClient(cluster, owner);
                // The slot moved to another shard (resharding): Redis unsubscribed us; subscribe again there.
                client.on('sharded-channel-moved', () => errorListeners.forEach(l => l(new Error(`${channel} moved to another shard`))));
                subscriber = nodeRedisSubscriber(client as unknown as NodeRedisClient, 'sSubscribe');
                for (const listener of errorListeners) subscriber.on('error', listener);
                await subscriber.connect();
            },
            subscribe: (name, listener) => subscriber!.subscribe(name, listener),
            destroy: () => subscriber?.destroy(),
            on: (_event, listener) => { errorListeners.push(listener); },
        };
    };
}

/** Duplicates of a node-redis client (its own driver version and options), reconnected by the channel, not by node-redis. */
function nodeRedisSubscribers(client: NodeRedisClient): RedisSubscriberFactory | undefined {
    if (typeof client.duplicate !== 'function' || !client.options) return undefined;
    const { socket } = client.options as { socket?: object };
    return () => nodeRedisSubscriber(client.duplicate!({ socket: { ...socket, reconnectStrategy: false } }) as NodeRedisClient);
}

function nodeRedisSubscriber(client: NodeRedisClient, command: 'subscribe' | 'sSubscribe' = 'subscribe'): RedisSubscriber {
    const c = client as unknown as Record<'subscribe' | 'sSubscribe', (channel: string, listener: (message: string) => void) => Promise<void>> & {
        connect(): Promise<unknown>;
        destroy?(): void;
        disconnect?(): Promise<void>;
        on(event: string, listener: (e: Error) => void): unknown;
    };
    return {
        connect: () => c.connect(),
        subscribe: (channel, listener) => c[command](channel, listener),
        // node-redis 5 and 6: destroy(); 4: disconnect(), which rejects when already closed.
        destroy: () => (c.destroy ? c.destroy() : void c.disconnect?.().catch(() => {})),
        on: (event, listener) => c.on(event, listener),
    };
}

/** An ioredis subscriber: a duplicate connection (ioredis runs no other command once subscribed), not reconnecting by itself. */
function ioRedisSubscriber(client: IoRedisClient): RedisSubscriber {
    const sub = client.duplicate({ lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false, autoResubscribe: false }) as {
        connect(): Promise<void>;
        subscribe(channel: string): Promise<unknown>;
        disconnect(): void;
        on(event: string, listener: (...args: never[]) => void): unknown;
    };
    return {
        connect: () => sub.connect(),
        async subscribe(channel, listener) {
            sub.on('message', (from: string, message: string) => {
                if (from === channel) listener(message);
            });
            await sub.subscribe(channel);
        },
        destroy: () => sub.disconnect(),
        on(event, listener) {
            sub.on(event, listener);
            // ioredis reports a lost connection by 'close', not always by 'error'.
            sub.on('close', () => listener(new Error('the subscriber connection closed')));
        },
    };
}

/** Waits for the client's 'ready' event, at most `ms`. */
async function readyWithin(client: object, ms: number): Promise<void> {
    const gaveUp = new AbortController();
    const ready = once(client as unknown as NodeJS.EventEmitter, 'ready', { signal: gaveUp.signal });
    ready.catch(() => {});
    try {
        await withinMs(ready, ms, `Redis did not become ready within ${ms} ms`);
    } finally {
        // Removes the listener of an attempt that timed out, so a long outage piles none up.
        gaveUp.abort();
    }
}

function commandTimeoutMessage(ms: number): string {
    return `Redis did not answer within ${ms} ms`;
}

/** `promise`, or a rejection after `ms` (on a timer that keeps no process alive). */
async function withinMs<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`tsrpc-session: ${message}`)), ms);
        timer.unref();
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}
