import { randomBytes } from 'crypto';
import { createClient } from 'redis';
import { RedisStore, RedisStoreOptions } from 'tsrpc-session/stores/redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix of this run's own, so tests never touch other data in a shared Redis. */
export function testPrefix(label: string): string {
    return `tsrpc-session-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix` (SCAN, never FLUSHDB: the server may hold other data). */
export async function deleteKeys(prefix: string, url = REDIS_URL): Promise<void> {
    const client = createClient({ url });
    await client.connect();
    try {
        const keys: string[] = [];
        for await (const batch of client.scanIterator({ MATCH: `${escapeGlob(prefix)}*`, COUNT: 1000 })) keys.push(...batch);
        if (keys.length > 0) await client.del(keys);
    } finally {
        await client.close();
    }
}

/** A RedisStore on its own prefix; `cleanup` closes it and deletes its keys. */
export async function makeRedisStore(label: string, options: Partial<RedisStoreOptions> = {}) {
    const prefix = testPrefix(label);
    const store = new RedisStore({ url: REDIS_URL, prefix, ...options });
    return {
        store,
        prefix,
        async cleanup() {
            await store.close();
            await deleteKeys(prefix, options.url ?? REDIS_URL);
        },
    };
}

function escapeGlob(text: string): string {
    return text.replace(/[*?[\]\\]/g, c => `\\${c}`);
}
