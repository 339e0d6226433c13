import type { RedisStore } from 'tsrpc-session/stores/redis';

/**
 * `SESSION_STORE=redis-cluster`: a RedisStore on a node-redis cluster client made from
 * `REDIS_CLUSTER` (comma-separated node URLs; any one reachable node finds the rest), sessions
 * spread over the shards by user. `REDIS_PREFIX` (no hash tag) names the keys;
 * `REDIS_LEGACY_PREFIX` (e.g. `{sess}:`) keeps sessions written in the single-slot layout working.
 * The client is the example's own: `release` closes it after the store.
 */
export async function redisClusterFromEnv(env: NodeJS.ProcessEnv): Promise<{ store: RedisStore; release(): Promise<void> }> {
    const nodes = (env.REDIS_CLUSTER ?? '').split(',').map(url => url.trim()).filter(Boolean);
    if (nodes.length === 0) throw new Error('SESSION_STORE=redis-cluster needs REDIS_CLUSTER, e.g. redis://127.0.0.1:7101,redis://127.0.0.1:7102');
    // Loaded only when chosen, like the stores.
    const { createCluster } = require('redis') as typeof import('redis');
    const cluster = createCluster({
        rootNodes: nodes.map(url => ({ url })),
        // A failed master's slots are looked up again within 500 ms, not node-redis' default 5 s.
        topologyRefreshOnReconnectionAttemptStrategy: 500,
        defaults: {
            // While a node is down, its calls fail at once (SESSION_STORE_UNAVAILABLE) instead of queueing.
            disableOfflineQueue: true,
            socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
        },
    });
    // node-redis reports every failed reconnection; the calls that fail report it to their callers.
    cluster.on('error', () => {});
    await cluster.connect();
    const { RedisStore: Store } = require('tsrpc-session/stores/redis') as { RedisStore: typeof RedisStore };
    const store = new Store({ cluster, prefix: env.REDIS_PREFIX, legacyPrefix: env.REDIS_LEGACY_PREFIX || undefined });
    return { store, release: async () => { await cluster.close(); } };
}
