import IORedis from 'ioredis';
import IORedis5 from 'ioredis5';
import { createClient as createRedis4 } from 'redis4';
import { createClient as createRedis5 } from 'redis5';
import { createClient as createRedis6 } from 'redis';
import { RedisStore, RedisStoreOptions } from 'tsrpc-session/stores/redis';
import { deleteKeys, REDIS_URL, testPrefix } from './redisHelpers';

/** A client of the app's own, connected, and how to close it. */
export interface DriverClient {
    client: NonNullable<RedisStoreOptions['client']>;
    close(): Promise<void>;
}

/** One Redis driver major that RedisStore takes, as an app would create and connect it. */
export interface RedisDriver {
    name: string;
    connect(url?: string, extra?: object): Promise<DriverClient>;
}

function nodeRedis(name: string, create: (options: object) => { connect(): Promise<unknown>; quit?(): Promise<unknown>; close?(): Promise<unknown>; on(e: string, l: () => void): unknown }): RedisDriver {
    return {
        name,
        async connect(url = REDIS_URL, extra = {}) {
            const client = create({ url, ...extra });
            client.on('error', () => {});
            await client.connect();
            return {
                client: client as unknown as DriverClient['client'],
                close: async () => { await (client.close ?? client.quit)!.call(client).catch(() => {}); },
            };
        },
    };
}

export const REDIS_DRIVERS: readonly RedisDriver[] = [
    nodeRedis('node-redis 4', options => createRedis4(options) as never),
    nodeRedis('node-redis 5', options => createRedis5(options) as never),
    nodeRedis('node-redis 6', options => createRedis6(options) as never),
    nodeRedis('node-redis 6 speaking RESP3', options => createRedis6({ ...options, RESP: 3 }) as never),
    ioRedis('ioredis 5', (url, options) => new IORedis5(url, options)),
    ioRedis('ioredis 6', (url, options) => new IORedis(url, options)),
];

function ioRedis(name: string, create: (url: string, options: object) => IORedis | IORedis5): RedisDriver {
    return {
        name,
        async connect(url = REDIS_URL, extra = {}) {
            const client = create(url, { lazyConnect: true, ...extra });
            client.on('error', () => {});
            await client.connect();
            return { client: client as DriverClient['client'], close: async () => { client.disconnect(); } };
        },
    };
}

/** A RedisStore on a client of `driver`, on a prefix of its own; `cleanup` closes both and deletes the keys. */
export async function makeDriverStore(driver: RedisDriver, label: string, prefix = testPrefix(label)) {
    const connected = await driver.connect();
    const store = new RedisStore({ client: connected.client, prefix });
    return {
        store,
        prefix,
        async cleanup() {
            await store.close();
            await connected.close();
            await deleteKeys(prefix);
        },
    };
}
