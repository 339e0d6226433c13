import type { MaybePromise, SessionStore } from '../SessionStore';
import { expiresAt, StoredMeta } from '../storedFormat';
import { LockedRecordStore, StoredSession } from './LockedRecordStore';
import { FieldChanges } from '../storedFormat';

/**
 * A Summer.js-style session storage: values saved per (id, key), loaded per id as one object,
 * cleared per id, and expired per id in seconds. Return values may be plain or promises.
 */
export interface SummerSessionStorage {
    save(id: string, key: string, value: unknown): MaybePromise<unknown>;
    load(id: string): MaybePromise<Record<string, unknown> | null | undefined>;
    clear(id: string): MaybePromise<unknown>;
    expire(id: string, seconds: number): MaybePromise<unknown>;
}

/** Where the record's metadata (times, user, label, format version) lives, beside the data fields. */
const META_KEY = '__tsrpc_session';
const DATA_PREFIX = 'd:';
/** Ids of user indexes; session keys are base64url digests (no ':'), so they never collide. */
const INDEX_PREFIX = 'tsrpc-session-user:';
/** `save` has no delete: a field or index entry is removed by saving this, and read back as absent. */
const REMOVED = null;

class SummerRecordStore extends LockedRecordStore {
    readonly #storage: SummerSessionStorage;

    constructor(storage: SummerSessionStorage) {
        super();
        for (const method of ['save', 'load', 'clear', 'expire'] as const) {
            if (typeof storage?.[method] !== 'function') throw new TypeError(`tsrpc-session: SummerStorageAdapter storage is missing ${method}()`);
        }
        this.#storage = storage;
    }

    protected override async readSession(key: string): Promise<StoredSession | undefined> {
        const stored = await this.#storage.load(key);
        const metaJson = stored?.[META_KEY];
        if (typeof metaJson !== 'string') return undefined;
        const fields = new Map<string, string>();
        for (const [name, value] of Object.entries(stored ?? {})) {
            if (name.startsWith(DATA_PREFIX) && typeof value === 'string') fields.set(name.slice(DATA_PREFIX.length), value);
        }
        return { meta: JSON.parse(metaJson) as StoredMeta, fields };
    }

    protected override async writeSession(key: string, session: StoredSession, changes?: FieldChanges): Promise<void> {
        if (!changes) {
            await this.#storage.clear(key);
            changes = { set: [...session.fields], unset: [] };
        }
        for (const [field, json] of changes.set) await this.#storage.save(key, DATA_PREFIX + field, json);
        for (const field of changes.unset) await this.#storage.save(key, DATA_PREFIX + field, REMOVED);
        await this.#storage.save(key, META_KEY, JSON.stringify(session.meta));
        await this.#storage.expire(key, Math.max(1, Math.ceil((expiresAt(session.meta) - Date.now()) / 1000)));
    }

    protected override async removeSession(key: string): Promise<void> {
        await this.#storage.clear(key);
    }

    protected override async listIndex(userId: string): Promise<string[]> {
        const stored = await this.#storage.load(INDEX_PREFIX + userId);
        return Object.entries(stored ?? {}).filter(([, value]) => value === true).map(([key]) => key);
    }

    protected override async addToIndex(userId: string, key: string): Promise<void> {
        await this.#storage.save(INDEX_PREFIX + userId, key, true);
    }

    protected override async removeFromIndex(userId: string, keys: string[]): Promise<void> {
        for (const key of keys) await this.#storage.save(INDEX_PREFIX + userId, key, REMOVED);
    }
}

// Exported as a constructor of SessionStore: the locking base class stays out of the public types.
/**
 * Plugs a Summer.js-style storage in as a SessionStore. Under session key `key` it keeps each data
 * field as JSON text under `d:<field>` and the metadata under `__tsrpc_session`; a removed field is
 * saved as `null`. A user's sessions are indexed under id `tsrpc-session-user:<userId>`, one
 * entry per session key; entries of sessions that are gone are dropped by destroyByUser.
 *
 * Writes are per field (`save`), and expiry is `expire(id, seconds)` at the earlier timeout.
 * The storage has no conditional write, so compare-and-set and "no write after destroy" are a
 * check-then-act serialized per session inside this process only: docs/stores.md says
 * what that means with several processes.
 * @example
 * ```ts
 * enableSession(server, { secrets, store: new SummerStorageAdapter(mySummerStorage) });
 * ```
 */
export const SummerStorageAdapter: new (storage: SummerSessionStorage) => SessionStore = SummerRecordStore;
export type SummerStorageAdapter = SessionStore;
