import { RedisSubscriber, RedisSubscriberFactory } from './RedisRevocationChannel';
import { keySlot, ShardedSubscriberFactory } from './redisShardedChannel';
import { clusterNodeClient, ClusterNodes, IoRedisClient, NodeRedisClient, RedisClusterCommandClient } from './redisDrivers';
import { commandTimeoutMessage, withinMs } from './redisTimeouts';

/**
 * The subscribers RedisStore's revocation channel opens, per driver: node-redis duplicates,
 * ioredis duplicates (messages as 'message' events), and on a cluster one node's client, or the
 * master of a channel's slot for sharded pub/sub. None reconnects by itself: the channel does.
 */

/** Subscribers to each node of a cluster in turn (any node hears every PUBLISH). */
export function clusterSubscribers(source: RedisClusterCommandClient): RedisSubscriberFactory | undefined {
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
export function clusterShardedSubscribers(source: RedisClusterCommandClient, commandTimeoutMs: number): ShardedSubscriberFactory | undefined {
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
export function nodeRedisSubscribers(client: NodeRedisClient): RedisSubscriberFactory | undefined {
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
export function ioRedisSubscriber(client: IoRedisClient): RedisSubscriber {
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
