import {
    COMPARE_AND_SET, CREATE, DESTROY, DESTROY_BY_USER, LIST_BY_USER, LOAD, RedisScript, RENEW, TOUCH, UPDATE,
} from './redisScripts';
import { encodeExpected, summaryOf } from './storedFormat';
import { changeArgs, decodeMeta, hashOf, recordOf, sessionHashIn, StoredSession, storedSessionOf } from './redisHashes';
import { isLive, RENEWAL_CHAIN_LIMIT } from './rules';
import { withDefaults } from '../plugin/withDefaults';
import { RedisRevocationChannel } from './RedisRevocationChannel';
import { NearCacheOptions, NearCacheStats, nearTracker, NearSend, RedisNearCache } from './redisNearCache';
import { RedisConnection, redisConnection } from './redisClients';
import { IoRedisClient, NodeRedisClient, RedisClusterCommandClient } from './redisDrivers';
import { RevocationChannel, RevocationChannelStore } from './RevocationChannel';
import { RedisKeyLayout, redisKeyLayout } from './redisKeys';
import { shardedRevocationChannel } from './redisShardedChannel';
import {
    CompareAndSetResult, RenewResult, SessionActivity, SessionChanges, SessionRecord, SessionRenewal, SessionStore,
    SessionSummary,
} from './SessionStore';

/** A client RedisStore takes: node-redis 4, 5 or 6 (`createClient()`) or ioredis (`new Redis()`), with any type parameters. */
export type RedisCommandClient = NodeRedisClient | IoRedisClient;
export type { NearCacheOptions, NearCacheStats, RedisClusterCommandClient };

export interface RedisStoreOptions {
    /** Server to connect to when no client is given. @defaultValue 'redis://127.0.0.1:6379' */
    url: string;
    /**
     * A client of the app's own, connected by the app; `close()` leaves it open: node-redis 4, 5
     * or 6 (`createClient()`, connected with `await client.connect()`) or ioredis (`new Redis()`).
     * Anything else (an ioredis Cluster, node-redis 3) is refused at construction.
     */
    client?: RedisCommandClient;
    /**
     * A node-redis cluster client of the app's own (`createCluster()`). With a prefix without a hash
     * tag (the default), sessions spread over every shard: a user's sessions and index share a slot
     * picked by the user, an anonymous session's is random, and revocations travel on sharded
     * pub/sub (Redis 7+). A prefix with a hash tag (`'{sess}:'`) keeps every key in that one slot,
     * as 0.2 did.
     */
    cluster?: RedisClusterCommandClient;
    /** Prefix of every key this store writes. @defaultValue 'tsrpc-session:' */
    prefix: string;
    /**
     * On a cluster that spreads sessions: the hash-tagged prefix sessions were written under before
     * (e.g. `'{sess}:'`). They keep working there, renewals included, until they expire or their user
     * logs in again (which moves the session into the user's slot). Drop it once they have expired.
     */
    legacyPrefix?: string;
    /** A command not answered this fast rejects, so a stalled server fails calls instead of hanging them. @defaultValue 2000 */
    commandTimeoutMs: number;
    /** How long the client it creates waits for a connection before a command rejects. @defaultValue 2000 */
    connectTimeoutMs: number;
    /**
     * Keeps sessions this process has read in memory, dropped by Redis's own invalidation (RESP3
     * client-side caching, on a connection of its own) when any server changes them: a repeated read
     * costs no Redis command. Writes are unchanged. Reads on other servers lag a write by the
     * invalidation's delivery (docs/stores.md). Needs a `url`, a node-redis 5/6 client, or a
     * node-redis cluster (one tracking connection per master). @defaultValue undefined (off)
     */
    nearCache?: NearCacheOptions;
}

export const defaultRedisStoreOptions: Readonly<Pick<RedisStoreOptions, 'url' | 'prefix' | 'commandTimeoutMs' | 'connectTimeoutMs'>> = Object.freeze({
    url: 'redis://127.0.0.1:6379',
    prefix: 'tsrpc-session:',
    commandTimeoutMs: 2000,
    connectTimeoutMs: 2000,
});

/**
 * Sessions in Redis, on node-redis (the `redis` package, 4, 5 or 6) or ioredis: one hash per session, one
 * field per data key, PEXPIREAT at the earlier of both timeouts, and a set per user.
 *
 * Every write is one Lua script that checks, at `activity.now`, that the session exists and is
 * live before writing, atomically: update, touch and compareAndSet never recreate a destroyed or
 * expired session. The same script keeps the user set in step with the hash's `userId`.
 *
 * Failures: the client this store creates does not queue commands while disconnected
 * (`disableOfflineQueue`), times commands out after `commandTimeoutMs` and reconnects in the
 * background, so while Redis is down every operation rejects quickly (the plugin answers
 * SESSION_STORE_UNAVAILABLE) and works again once Redis is back.
 *
 * Redis Cluster: a script may only touch keys of one slot, and the scripts touch a session hash
 * and user sets together. With a `cluster` client, each session's keys carry the slot tag in its
 * store key (./redisKeys.ts, ./sessionTags.ts): a user's sessions and the user's set share the
 * user's slot, so every script stays in one slot and every guarantee above holds as on a single
 * server, while sessions spread over all shards. docs/stores.md says why each stays atomic.
 * @example
 * ```ts
 * const store = new RedisStore({ url: process.env.REDIS_URL });
 * enableSession(server, { secrets, store });
 * ```
 */
export class RedisStore implements SessionStore, RevocationChannelStore {
    readonly #prefix: string;
    readonly #layout: RedisKeyLayout;
    readonly #channels = new Set<RevocationChannel>();
    readonly #connection: RedisConnection;
    readonly #near: RedisNearCache<StoredSession> | undefined;

    constructor(options: Partial<RedisStoreOptions> = {}) {
        const { url, client, cluster, prefix, legacyPrefix, commandTimeoutMs, connectTimeoutMs, nearCache } = withDefaults(defaultRedisStoreOptions, options);
        this.#layout = redisKeyLayout({ prefix, legacyPrefix, cluster: cluster !== undefined });
        this.#prefix = prefix;
        this.#connection = redisConnection({ url, client, cluster, commandTimeoutMs, connectTimeoutMs });
        this.#near = nearCache && new RedisNearCache(nearTracker({ url, client, cluster, commandTimeoutMs, connectTimeoutMs }), nearCache.maxEntries);
    }

    /** True on a cluster that spreads sessions: the plugin then mints ids carrying the slot tag. */
    get placesByUser(): boolean {
        return this.#layout.placesByUser;
    }

    async load(key: string, now: number): Promise<SessionRecord | undefined> {
        const near = this.#near;
        if (!near) return recordOf(await this.#read(key, undefined), now);
        const hash = this.#hash(key);
        return recordOf(near.cached(hash) ?? await near.fill(hash, send => this.#read(key, send)), now);
    }

    /** With `nearCache`, a session this process read before and Redis has not invalidated since: no command, no promise. */
    loadCached(key: string, now: number): SessionRecord | null | undefined {
        const stored = this.#near?.cached(this.#hash(key));
        return stored === undefined ? undefined : recordOf(stored, now) ?? null;
    }

    /** The session hash as stored, or undefined when absent; over the near cache's connection when it gives one. */
    async #read(key: string, send: NearSend): Promise<StoredSession | undefined> {
        return storedSessionOf(await this.#eval(LOAD, key, [], send) as string[]);
    }

    async create(key: string, record: SessionRecord): Promise<void> {
        const { userId, pairs } = hashOf(record);
        this.#checkPlace(key, userId);
        await this.#eval(CREATE, key, [key, userId ?? '', ...pairs]);
    }

    async update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean> {
        return await this.#eval(UPDATE, key, [...this.#activityArgs(key, activity), ...changeArgs(changes)]) === 'ok';
    }

    async compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult> {
        const expectedJson = encodeExpected(expected);
        const nextJson = encodeExpected(next);
        const args = [
            ...this.#activityArgs(key, activity), field,
            expectedJson === undefined ? '0' : '1', expectedJson ?? '',
            nextJson === undefined ? '0' : '1', nextJson ?? '',
        ];
        return await this.#eval(COMPARE_AND_SET, key, args) as CompareAndSetResult;
    }

    async touch(key: string, activity: SessionActivity): Promise<boolean> {
        return await this.#eval(TOUCH, key, this.#activityArgs(key, activity)) === 'ok';
    }

    async renew(key: string, successorKey: string, { activity, changes, pointerExpiresAt }: SessionRenewal): Promise<RenewResult> {
        const args = [...this.#activityArgs(key, activity), successorKey, String(pointerExpiresAt), ...changeArgs(changes)];
        if (this.#layout.ofKey(successorKey) !== this.#layout.ofKey(key)) throw new Error(`tsrpc-session: RedisStore renews a session in its own slot; successor key '${successorKey}' is in another`);
        const result = await this.#eval(RENEW, key, args);
        if (!Array.isArray(result)) return { outcome: 'missing' };
        return result[0] === 'superseded' ? { outcome: 'superseded', successorKey: String(result[1]) } : { outcome: 'renewed' };
    }

    async destroy(key: string): Promise<void> {
        await this.#eval(DESTROY, key, [key, String(RENEWAL_CHAIN_LIMIT)]);
    }

    async listByUser(userId: string, now: number): Promise<SessionSummary[]> {
        const flat = (await Promise.all(this.#layout.ofUser(userId).map(prefix => this.#evalIn(LIST_BY_USER, prefix, `${prefix}u:${userId}`, [userId])))).flat() as (string | null)[];
        const summaries: SessionSummary[] = [];
        for (let i = 0; i < flat.length; i += 6) {
            const [key, createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, label] = flat.slice(i, i + 6);
            const meta = decodeMeta({ createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, label: label ?? undefined });
            if (isLive(meta, now)) summaries.push(summaryOf(String(key), meta));
        }
        return summaries;
    }

    async destroyByUser(userId: string, exceptKey?: string): Promise<string[]> {
        const args = [userId, exceptKey ?? '', String(RENEWAL_CHAIN_LIMIT)];
        return (await Promise.all(this.#layout.ofUser(userId).map(prefix => this.#evalIn(DESTROY_BY_USER, prefix, `${prefix}u:${userId}`, args)))).flat() as string[];
    }

    /**
     * Pub/sub on `<prefix>revocations`, on a subscriber connection of its own (see
     * RedisRevocationChannel); on a cluster that spreads sessions, sharded pub/sub on several
     * channels (./redisShardedChannel.ts). Undefined for a client of the app's own that does not
     * expose its options.
     */
    openRevocationChannel(): RevocationChannel | undefined {
        if (this.#layout.placesByUser) {
            const channel = shardedRevocationChannel(this.#prefix, this.#connection);
            if (channel) this.#channels.add(channel);
            return channel;
        }
        const { newSubscriber } = this.#connection;
        if (!newSubscriber) return undefined;
        const name = `${this.#prefix}revocations`;
        const channel = new RedisRevocationChannel(name, args => this.#connection.send(name, args), newSubscriber);
        this.#channels.add(channel);
        return channel;
    }

    /** Closes the client this store created and its revocation channels; a client passed in stays open. */
    async close(): Promise<void> {
        await Promise.all([...this.#channels].map(channel => channel.close()));
        this.#channels.clear();
        this.#near?.close();
        await this.#connection.close();
    }

    /** Runs a script on the session hash of `key`, in its slot's prefix. */
    #eval(script: RedisScript, key: string, args: string[], send?: NearSend): Promise<unknown> {
        const prefix = this.#layout.ofKey(key);
        return this.#evalIn(script, prefix, sessionHashIn(prefix, key), args, send);
    }

    /**
     * Runs a script by its hash, sending its source only when the server does not know it yet.
     * `prefix` is the one every name the script derives starts with: one slot on a cluster. Over
     * `send` (the near cache's tracking connection) when given. With a near cache, a write then drops
     * what it changed from this process's cache before it resolves, so this process reads its writes.
     */
    async #evalIn(script: RedisScript, prefix: string, key: string, args: string[], send?: NearSend): Promise<unknown> {
        const tail = ['1', key, prefix, ...args];
        const run = send ?? ((command: string[]) => this.#connection.send(key, command));
        try {
            return await run(['EVALSHA', script.sha, ...tail]);
        } catch (e) {
            if (!/NOSCRIPT/.test((e as Error)?.message)) throw e;
            return await run(['EVAL', script.source, ...tail]);
        } finally {
            if (this.#near && script !== LOAD && script !== LIST_BY_USER) await this.#dropWritten(this.#near, script, key);
        }
    }

    /** Scripts on one session hash name it; destroy and destroyByUser reach keys only Redis knows, so they wait for its invalidations. */
    async #dropWritten(near: RedisNearCache<StoredSession>, script: RedisScript, key: string): Promise<void> {
        near.invalidate(key);
        if (script === DESTROY || script === DESTROY_BY_USER) await near.settled();
    }

    /** The near cache's counters; undefined without `nearCache`. */
    nearCacheStats(): NearCacheStats | undefined {
        return this.#near?.stats();
    }

    #activityArgs(key: string, activity: SessionActivity): string[] {
        if (typeof activity.userId === 'string') this.#checkPlace(key, activity.userId);
        const userMode = activity.userId === undefined ? 'keep' : activity.userId === null ? 'none' : 'set';
        const anonymousIdle = activity.anonymousIdleExpiresAt === undefined ? '' : String(activity.anonymousIdleExpiresAt);
        return [key, String(activity.now), String(activity.lastSeenAt), String(activity.idleExpiresAt), userMode, activity.userId ?? '', anonymousIdle];
    }

    /** The session hash's name: the near cache's key, and what Redis invalidates. */
    #hash(key: string): string {
        return sessionHashIn(this.#layout.ofKey(key), key);
    }

    /** A user's sessions live in the user's slot: the plugin gives them the user's tag first (placesByUser). */
    #checkPlace(key: string, userId: string | undefined): void {
        if (userId === undefined || !this.#layout.placesByUser) return;
        if (!this.#layout.ofUser(userId).includes(this.#layout.ofKey(key))) {
            throw new Error(`tsrpc-session: RedisStore on a cluster keeps a user's sessions in the user's slot; key '${key}' does not carry its user's tag`);
        }
    }
}
