import type { MaybePromise, SessionStore } from '../SessionStore';
import { expiresAt, StoredMeta } from '../storedFormat';
import { LockedRecordStore, StoredSession } from './LockedRecordStore';
import { withDefaults } from '../../plugin/withDefaults';

/**
 * A koa-session / egg external store: whole objects got, set with a lifetime in milliseconds, and
 * destroyed by key. Return values may be plain or promises.
 */
export interface KoaSessionStore {
    get(key: string, maxAge: number | 'session' | undefined, options?: { rolling?: boolean }): MaybePromise<unknown>;
    set(key: string, sess: object, maxAge: number | 'session' | undefined, options?: { rolling?: boolean; changed?: boolean }): MaybePromise<unknown>;
    destroy(key: string): MaybePromise<unknown>;
}

export interface KoaStoreAdapterOptions {
    /** Prefix of the keys this adapter writes (sessions and user indexes). @defaultValue 'tsrpc-session:' */
    prefix: string;
}

export const defaultKoaStoreAdapterOptions: Readonly<KoaStoreAdapterOptions> = Object.freeze({ prefix: 'tsrpc-session:' });

/** The object stored per session. */
interface KoaSessionObject {
    meta: StoredMeta;
    /** Field → JSON text, so compare-and-set compares exact text as every store does. */
    data: Record<string, string>;
}

/** The object stored per user: the keys of the user's sessions. */
interface KoaIndexObject {
    keys: string[];
}

class KoaRecordStore extends LockedRecordStore {
    readonly #store: KoaSessionStore;
    readonly #prefix: string;

    constructor(store: KoaSessionStore, options: Partial<KoaStoreAdapterOptions> = {}) {
        super();
        for (const method of ['get', 'set', 'destroy'] as const) {
            if (typeof store?.[method] !== 'function') throw new TypeError(`tsrpc-session: KoaStoreAdapter store is missing ${method}()`);
        }
        this.#store = store;
        this.#prefix = withDefaults(defaultKoaStoreAdapterOptions, options).prefix;
    }

    protected override async readSession(key: string): Promise<StoredSession | undefined> {
        const stored = await this.#store.get(this.#sessionKey(key), undefined, { rolling: false }) as Partial<KoaSessionObject> | null | undefined;
        if (!stored?.meta || typeof stored.data !== 'object' || stored.data === null) return undefined;
        const fields = new Map(Object.entries(stored.data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
        return { meta: { ...stored.meta }, fields };
    }

    protected override async writeSession(key: string, session: StoredSession): Promise<void> {
        const sess: KoaSessionObject = { meta: { ...session.meta }, data: Object.fromEntries(session.fields) };
        const maxAgeMs = Math.max(1, expiresAt(session.meta) - Date.now());
        await this.#store.set(this.#sessionKey(key), sess, maxAgeMs, { rolling: false, changed: true });
    }

    protected override async removeSession(key: string): Promise<void> {
        await this.#store.destroy(this.#sessionKey(key));
    }

    protected override async listIndex(userId: string): Promise<string[]> {
        const stored = await this.#store.get(this.#indexKey(userId), undefined) as Partial<KoaIndexObject> | null | undefined;
        return Array.isArray(stored?.keys) ? stored.keys.filter(key => typeof key === 'string') : [];
    }

    protected override async addToIndex(userId: string, key: string): Promise<void> {
        const keys = await this.listIndex(userId);
        if (!keys.includes(key)) await this.#writeIndex(userId, [...keys, key]);
    }

    protected override async removeFromIndex(userId: string, keys: string[]): Promise<void> {
        const remaining = (await this.listIndex(userId)).filter(key => !keys.includes(key));
        if (remaining.length === 0) await this.#store.destroy(this.#indexKey(userId));
        else await this.#writeIndex(userId, remaining);
    }

    async #writeIndex(userId: string, keys: string[]): Promise<void> {
        const index: KoaIndexObject = { keys };
        await this.#store.set(this.#indexKey(userId), index, undefined, { rolling: false, changed: true });
    }

    #sessionKey(key: string): string {
        return `${this.#prefix}s:${key}`;
    }

    #indexKey(userId: string): string {
        return `${this.#prefix}u:${userId}`;
    }
}

// Exported as a constructor of SessionStore: the locking base class stays out of the public types.
/**
 * Plugs a koa/egg-style store in as a SessionStore. Each session is one object
 * `{ meta, data }` under `<prefix>s:<key>` (data fields as JSON text), set with `maxAge` = the
 * time left until the earlier timeout; each user's session keys are one object `{ keys }` under
 * `<prefix>u:<userId>`, set without a lifetime and pruned by destroyByUser.
 *
 * The interface only reads and writes whole objects: every per-key update, compare-and-set and
 * touch is read-modify-write of the session object, serialized per session inside this process
 * only. Several processes sharing the store can lose each other's concurrent changes or write into
 * a session another one just destroyed: see docs/stores.md.
 * @example
 * ```ts
 * enableSession(server, { secrets, store: new KoaStoreAdapter(app.sessionStore) });
 * ```
 */
export const KoaStoreAdapter: new (store: KoaSessionStore, options?: Partial<KoaStoreAdapterOptions>) => SessionStore = KoaRecordStore;
export type KoaStoreAdapter = SessionStore;
