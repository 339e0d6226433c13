import { MemoryStore, SessionStore } from 'tsrpc-session/server';
import type { MongoStore } from 'tsrpc-session/stores/mongo';
import type { RedisStore } from 'tsrpc-session/stores/redis';

/**
 * The store `npm start` uses: `SESSION_STORE` = memory (default; `MEMORY_MAX_SESSIONS`) | redis (`REDIS_URL`, default
 * redis://127.0.0.1:6379; `REDIS_PREFIX`) | mongo (`MONGODB_URI`, required; `MONGODB_DB`).
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
            throw new Error(`SESSION_STORE=${kind} is not supported (memory, redis, mongo)`);
    }
}

/** A limit from the environment: undefined (the option's default) when unset, else a positive integer. */
export function limitFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (!/^[1-9][0-9]*$/.test(value)) throw new TypeError(`${name} must be a positive integer, not '${value}'`);
    return Number(value);
}
