import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MemoryStore } from 'tsrpc-session/server';
import { SessionStore, StoreUnderTest } from 'tsrpc-session/stores';
import { MongoStore } from 'tsrpc-session/stores/mongo';
import { RedisStore, RedisStoreOptions } from 'tsrpc-session/stores/redis';
import { makeRedisStore, REDIS_URL } from './redisHelpers';
import { makeDriverStore, REDIS_DRIVERS, RedisDriver } from './redisDrivers';
import { connectCluster, sharedCluster } from '../cluster/localCluster';

/**
 * The one shape of a store under test: what the contract suite takes (`store`, `cleanup`), and how
 * to open a second instance on the same data (a second server) for the guarantees.
 */
export interface SharedStore extends StoreUnderTest {
    /** Another store object on the same data, as a second server process would open it. */
    another(): SessionStore;
}

export interface StoreFactory {
    name: string;
    make(): Promise<SharedStore>;
}

export const memoryFactory: StoreFactory = {
    name: 'memory',
    async make() {
        const store = new MemoryStore();
        // In-process only: two servers share it by sharing the object.
        return { store, another: () => store, async cleanup() {} };
    },
};

export const redisFactory: StoreFactory = redisWith('redis', {});

/** RedisStore with its near cache on, every instance (every server) with its own. */
export const redisNearFactory: StoreFactory = redisWith('redis+nearCache', { nearCache: { maxEntries: 1000 } });

function redisWith(name: string, options: Partial<RedisStoreOptions>): StoreFactory {
    return {
        name,
        async make() {
            const first = await makeRedisStore('store', options);
            const others: RedisStore[] = [];
            return {
                store: first.store,
                another() {
                    const other = new RedisStore({ url: REDIS_URL, prefix: first.prefix, ...options });
                    others.push(other);
                    return other;
                },
                async cleanup() {
                    await Promise.all(others.map(o => o.close()));
                    await first.cleanup();
                },
            };
        },
    };
}

/**
 * RedisStore on a Redis Cluster (3 masters, sessions spread by user) with its near cache on, every
 * instance with tracking connections of its own. The cluster starts on first use.
 */
export const redisClusterNearFactory: StoreFactory = {
    name: 'redis-cluster+nearCache',
    async make() {
        const client = await connectCluster((await sharedCluster()).rootUrl);
        const prefix = `c-${randomBytes(4).toString('hex')}:`;
        // Another server's store: its own near cache and tracking connections (the cluster client shared, as it only sends).
        const open = () => new RedisStore({ cluster: client, prefix, nearCache: { maxEntries: 1000 } });
        const stores = [open()];
        return {
            store: stores[0],
            another() {
                stores.push(open());
                return stores[stores.length - 1];
            },
            async cleanup() {
                await Promise.all(stores.map(s => s.close()));
                await client.close();
            },
        };
    },
};

/** Needs MONGODB_URI. */
export const mongoFactory: StoreFactory = {
    name: 'mongo',
    async make() {
        const uri = process.env.MONGODB_URI!;
        const dbName = `tsrpc_session_test_${process.pid}_${randomBytes(4).toString('hex')}`;
        const stores = [new MongoStore({ uri, dbName })];
        return {
            store: stores[0],
            another() {
                const other = new MongoStore({ uri, dbName });
                stores.push(other);
                return other;
            },
            async cleanup() {
                const client = new MongoClient(uri);
                try {
                    await client.db(dbName).dropDatabase();
                } finally {
                    await client.close();
                    await Promise.all(stores.map(s => s.close()));
                }
            },
        };
    },
};

/** Memory, Redis (with and without its near cache) and a Redis Cluster with the near cache always; MongoDB when MONGODB_URI names a server. */
export const STORE_FACTORIES: readonly StoreFactory[] = [memoryFactory, redisFactory, redisNearFactory, redisClusterNearFactory, ...process.env.MONGODB_URI ? [mongoFactory] : []];

/** RedisStore on a client of the app's own, per driver major it takes; every instance on one prefix. */
function redisOn(driver: RedisDriver): StoreFactory {
    return {
        name: `redis on ${driver.name}`,
        async make() {
            const first = await makeDriverStore(driver, 'drivers');
            // The other servers' stores share a second connection of their own.
            const second = await driver.connect();
            const others: RedisStore[] = [];
            return {
                store: first.store,
                another() {
                    const other = new RedisStore({ client: second.client, prefix: first.prefix });
                    others.push(other);
                    return other;
                },
                async cleanup() {
                    await Promise.all(others.map(o => o.close()));
                    await second.close();
                    await first.cleanup();
                },
            };
        },
    };
}

export const REDIS_DRIVER_FACTORIES: readonly StoreFactory[] = REDIS_DRIVERS.map(redisOn);
