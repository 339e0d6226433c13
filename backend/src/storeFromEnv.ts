import { MemoryStore, SealedOptions, SessionStore } from 'tsrpc-session/server';
import type { MongoStore } from 'tsrpc-session/stores/mongo';
import type { RedisStore } from 'tsrpc-session/stores/redis';
import { redisClusterFromEnv } from './redisClusterFromEnv';

/**
 * The store `npm start` uses: `SESSION_STORE` = memory (default; `MEMORY_MAX_SESSIONS`) | redis (`REDIS_URL`, default
 * redis://127.0.0.1:6379; `REDIS_PREFIX`) | mongo (`MONGODB_URI`, required; `MONGODB_DB`). A Redis Cluster
 * (`redis-cluster`) needs a client of the example's own: see sessionStorageFromEnv.
 */
export async function storeFromEnv(env: NodeJS.ProcessEnv): Promise<SessionStore> {
    const kind = env.SESSION_STORE ?? 'memory';
    switch (kind) {
        case 'memory':
            return new MemoryStore({ maxSessions: limitFromEnv(env, 'MEMORY_MAX_SESSIONS') });
        case 'redis':
            // Loaded only when chosen: a start with the memory store never pays for a driver.
            return new (require('tsrpc-session/stores/redis') as { RedisStore: typeof RedisStore }).RedisStore({ url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.REDIS_PREFIX });
        case 'mongo':
            if (!env.MONGODB_URI) throw new Error('SESSION_STORE=mongo needs MONGODB_URI, e.g. mongodb://127.0.0.1:27017/app');
            return new (require('tsrpc-session/stores/mongo') as { MongoStore: typeof MongoStore }).MongoStore({ uri: env.MONGODB_URI, dbName: env.MONGODB_DB });
        default:
            throw new Error(`SESSION_STORE=${kind} is not supported (memory, redis, redis-cluster, mongo, sealed)`);
    }
}

/** A limit from the environment: undefined (the option's default) when unset, else a positive integer. */
export function limitFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^[1-9][0-9]*$/.test(value)) throw new TypeError(`${name} must be a positive integer, not '${value}'`);
    return Number(value);
}

/** Where the example keeps sessions: a store, or (`SESSION_STORE=sealed`) sealed in the session cookie. */
export type SessionStorage =
    | { store: SessionStore; sealed?: undefined; release?(): Promise<void> }
    | { sealed: SealedOptions; store?: undefined; release?: undefined };

/**
 * `SESSION_STORE=sealed`: no session store; sessions travel sealed in their cookie and survive a
 * restart with the same `SESSION_SECRETS`. Revocations (logout, logout-others) go to a deny-list in
 * `SESSION_DENY_LIST` = memory (default: forgotten at restart) | redis (`REDIS_URL`, `REDIS_PREFIX`) |
 * none. `SESSION_STORE=redis-cluster`: see redisClusterFromEnv. Any other value of `SESSION_STORE`: see storeFromEnv.
 */
export async function sessionStorageFromEnv(env: NodeJS.ProcessEnv): Promise<SessionStorage> {
    if (env.SESSION_STORE === 'redis-cluster') return await redisClusterFromEnv(env);
    if (env.SESSION_STORE !== 'sealed') return { store: await storeFromEnv(env) };
    const denyList = env.SESSION_DENY_LIST ?? 'memory';
    switch (denyList) {
        case 'none':
            return { sealed: {} };
        case 'memory':
            return { sealed: { denyList: new MemoryStore() } };
        case 'redis':
            return { sealed: { denyList: new (require('tsrpc-session/stores/redis') as { RedisStore: typeof RedisStore }).RedisStore({ url: env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: env.REDIS_PREFIX }) } };
        default:
            throw new Error(`SESSION_DENY_LIST=${denyList} is not supported (memory, redis, none)`);
    }
}

/** Releases the store's (or the deny-list's) connections, then the client the example made for it. */
export async function closeSessionStorage(storage: SessionStorage): Promise<void> {
    await (storage.store ?? storage.sealed?.denyList)?.close?.();
    await storage.release?.();
}
