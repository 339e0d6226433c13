import { createClient } from 'redis';

// The shapes of the Redis drivers RedisStore takes (node-redis 4, 5 and 6; ioredis), as it uses them.

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
