import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { MemoryStore, SessionStore } from 'tsrpc-session/server';
import { MongoStore } from 'tsrpc-session/stores/mongo';
import { RedisStore } from 'tsrpc-session/stores/redis';
import { makeRedisStore, REDIS_URL } from './redisHelpers';
import { makeDriverStore, REDIS_DRIVERS, RedisDriver } from './redisDrivers';

/** A store under test, and how to open a second instance on the same data (a second server). */
export interface SharedStore {
    store: SessionStore;
    /** Another store object on the same data, as a second server process would open it. */
    another(): SessionStore;
    cleanup(): Promise<void>;
}

export interface StoreFactory {
    name: string;
    make(): Promise<SharedStore>;
}

const memory: StoreFactory = {
    name: 'memory',
    async make() {
        const store = new MemoryStore();
        // In-process only: two servers share it by sharing the object.
        return { store, another: () => store, async cleanup() {} };
    },
};

const redis: StoreFactory = {
    name: 'redis',
    async make() {
        const first = await makeRedisStore('guarantees');
        const others: RedisStore[] = [];
        return {
            store: first.store,
            another() {
                const other = new RedisStore({ url: REDIS_URL, prefix: first.prefix });
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

const mongo: StoreFactory = {
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

/** Memory and Redis always; MongoDB when MONGODB_URI names a server. */
export const STORE_FACTORIES: readonly StoreFactory[] = process.env.MONGODB_URI ? [memory, redis, mongo] : [memory, redis];

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
