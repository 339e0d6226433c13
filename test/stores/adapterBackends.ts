import { createClient } from 'redis';
import { KoaSessionStore, SummerSessionStorage } from 'tsrpc-session/stores';
import { deleteKeys, REDIS_URL, testPrefix } from './redisHelpers';

/** Storages as apps write them for these frameworks, with real expiry; `close` releases what they opened. */
export interface Backend<T> {
    storage: T;
    close(): Promise<void>;
}

/** A Summer.js-style storage on a plain Map, synchronous, expiring entries on read. */
export function mapSummerStorage(): Backend<SummerSessionStorage> {
    const entries = new Map<string, { values: Record<string, unknown>; expiresAt: number }>();
    const live = (id: string) => {
        const entry = entries.get(id);
        if (entry && entry.expiresAt <= Date.now()) entries.delete(id);
        return entries.get(id);
    };
    const storage: SummerSessionStorage = {
        save(id, key, value) {
            const entry = live(id) ?? { values: {}, expiresAt: Infinity };
            entry.values[key] = value;
            entries.set(id, entry);
        },
        load: id => live(id) && { ...live(id)!.values },
        clear: id => entries.delete(id),
        expire(id, seconds) {
            const entry = live(id);
            if (entry) entry.expiresAt = Date.now() + seconds * 1000;
        },
    };
    return { storage, async close() {} };
}

/** A Summer.js-style storage on Redis hashes (JSON values), asynchronous. */
export async function redisSummerStorage(): Promise<Backend<SummerSessionStorage>> {
    const prefix = testPrefix('summer');
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const storage: SummerSessionStorage = {
        async save(id, key, value) { await client.hSet(prefix + id, key, JSON.stringify(value ?? null)); },
        async load(id) {
            const hash = await client.hGetAll(prefix + id) as Record<string, string>;
            const entries = Object.entries(hash);
            return entries.length === 0 ? undefined : Object.fromEntries(entries.map(([k, v]) => [k, JSON.parse(v)]));
        },
        async clear(id) { await client.del(prefix + id); },
        async expire(id, seconds) { await client.expire(prefix + id, seconds); },
    };
    return { storage, async close() { await client.close(); await deleteKeys(prefix); } };
}

/** A koa-session style store on a plain Map (whole objects, maxAge in ms), synchronous. */
export function mapKoaStore(): Backend<KoaSessionStore> {
    const entries = new Map<string, { json: string; expiresAt: number }>();
    const storage: KoaSessionStore = {
        get(key) {
            const entry = entries.get(key);
            if (entry && entry.expiresAt <= Date.now()) entries.delete(key);
            return entries.has(key) ? JSON.parse(entries.get(key)!.json) : undefined;
        },
        set(key, sess, maxAge) {
            entries.set(key, { json: JSON.stringify(sess), expiresAt: typeof maxAge === 'number' ? Date.now() + maxAge : Infinity });
        },
        destroy: key => entries.delete(key),
    };
    return { storage, async close() {} };
}

/** A koa-redis style store: JSON strings with PX, asynchronous. */
export async function redisKoaStore(): Promise<Backend<KoaSessionStore>> {
    const prefix = testPrefix('koa');
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    const storage: KoaSessionStore = {
        async get(key) {
            const json = await client.get(prefix + key);
            return json === null ? undefined : JSON.parse(json);
        },
        async set(key, sess, maxAge) {
            const json = JSON.stringify(sess);
            if (typeof maxAge === 'number') await client.set(prefix + key, json, { expiration: { type: 'PX', value: maxAge } });
            else await client.set(prefix + key, json);
        },
        async destroy(key) { await client.del(prefix + key); },
    };
    return { storage, async close() { await client.close(); await deleteKeys(prefix); } };
}
