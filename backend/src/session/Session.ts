import { Logger } from 'tsrpc';
import { CookieChanges } from './CallCookies';
import { updateConflictError } from './errors';
import { GuardedStore } from './GuardedStore';
import { FORBIDDEN_KEYS } from '../../../shared/cookieName';
import { ResolvedSessionOptions } from './options';
import { SessionData, SessionKey, SessionValue } from './SessionData';
import { SessionIdCodec, VerifiedId } from './SessionIdCodec';
import { isLive, SESSION_RECORD_VERSION, SessionActivity, SessionChanges, SessionRecord, SessionStore } from './stores/SessionStore';

/** What every session of one server shares. */
export interface SessionContext {
    options: ResolvedSessionOptions;
    codec: SessionIdCodec;
    store: GuardedStore;
}

export interface RegenerateOptions {
    /** Carry the data over to the new id. @defaultValue true */
    keepData?: boolean;
}

const UNSET = Symbol('unset');
const MAX_UPDATE_ATTEMPTS = 16;

/**
 * `call.session`: the session of one call. Read lazily (a call that never touches it costs no store
 * operation), at most once per call; writes are collected and persisted, per key, when the call
 * returns (or at `save()`).
 */
export class Session {
    readonly #ctx: SessionContext;
    readonly #cookies: CookieChanges;
    readonly #logger?: Logger;
    /** The id in use: the request's (unverified against the store until loaded) or a new one. */
    #id: string | undefined;
    /** The stored record, once loaded or created in memory. */
    #record: SessionRecord | undefined;
    /** The record exists only in memory and is created in the store at save(). */
    #isNew = false;
    #loading: Promise<void> | undefined;
    #resign: boolean;
    readonly #changes = new Map<string, unknown>();

    /** @internal Made by the plugin for each call. */
    constructor(ctx: SessionContext, cookies: CookieChanges, verified: VerifiedId | undefined, logger?: Logger) {
        this.#ctx = ctx;
        this.#cookies = cookies;
        this.#logger = logger;
        this.#id = verified?.id;
        this.#resign = verified !== undefined && !verified.signedWithCurrentSecret;
    }

    /** The session id, once the session has been read and found live, or created in this call. */
    get id(): string | undefined {
        return this.#record ? this.#id : undefined;
    }

    async get<K extends SessionKey>(key: K): Promise<SessionValue<K> | undefined> {
        if (this.#changes.has(key)) return this.#pending(key) as SessionValue<K> | undefined;
        await this.#ensureLoaded();
        return this.#record?.data[key] as SessionValue<K> | undefined;
    }

    async getAll(): Promise<Partial<SessionData>> {
        await this.#ensureLoaded();
        return this.#currentData() as Partial<SessionData>;
    }

    /** Sets one key; `undefined` unsets it. Persisted when the call returns. */
    async set<K extends SessionKey>(key: K, value: SessionValue<K> | undefined): Promise<void> {
        checkKey(key);
        this.#changes.set(key, value === undefined ? UNSET : value);
    }

    async unset(key: SessionKey): Promise<void> {
        checkKey(key);
        this.#changes.set(key, UNSET);
    }

    /** Unsets every key; the session itself (its id, its user index) stays. */
    async clear(): Promise<void> {
        await this.#ensureLoaded();
        for (const key of Object.keys(this.#currentData())) this.#changes.set(key, UNSET);
    }

    /**
     * Atomic read-modify-write of one key, written at once: parallel calls changing the same key
     * (a cart) all keep their change. `fn` gets a copy and may run more than once.
     * @throws TsrpcError SESSION_UPDATE_CONFLICT after 16 lost races in a row.
     * @example
     * ```ts
     * const cart = await call.session.update('cart', (cart = []) => [...cart, line]);
     * ```
     */
    async update<K extends SessionKey>(key: K, fn: (current: SessionValue<K> | undefined) => SessionValue<K> | undefined): Promise<SessionValue<K> | undefined> {
        checkKey(key);
        for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            await this.#ensureLoaded();
            const current = this.#changes.has(key) ? this.#pending(key) : this.#record?.data[key];
            const next = fn(structuredClone(current) as SessionValue<K> | undefined);
            if (!this.#record || this.#isNew) {
                // Nobody else can see a session that is not stored yet: it is created whole at save().
                this.#changes.set(key, next === undefined ? UNSET : next);
                return next;
            }
            const expected = this.#record.data[key];
            const now = Date.now();
            const result = await this.#run(store => store.compareAndSet(this.#key(), key, expected, next, this.#activity(now, key, next)));
            if (result === 'ok') {
                this.#changes.delete(key);
                this.#applyToRecord({ [key]: next }, now);
                return next;
            }
            if (result === 'missing') this.#forget();
            else this.#reloadSoon();
            await jitter(attempt);
        }
        throw updateConflictError(key);
    }

    /**
     * A new id for this session; the old id is dead at once. Call it on every change of privilege
     * (login, logout, role change) so an id planted before cannot ride along (session fixation).
     */
    async regenerate(options: RegenerateOptions = {}): Promise<void> {
        await this.#ensureLoaded();
        const data = options.keepData === false ? {} : this.#currentData();
        const previous = this.#storedId();
        this.#changes.clear();
        this.#startNew(data);
        if (previous) {
            this.#cookies.clear(this.#ctx.options.cookieName);
            await this.#run(store => store.destroy(this.#ctx.codec.storeKey(previous)));
        }
    }

    /** Ends the session in the store now and tells the client to drop its cookie. Later writes start a new session. */
    async destroy(): Promise<void> {
        const previous = this.#storedId();
        this.#forget();
        this.#changes.clear();
        this.#loading = Promise.resolve();
        if (previous) await this.#run(store => store.destroy(this.#ctx.codec.storeKey(previous)));
    }

    /** Drops unsaved changes and reads the session again. */
    async reload(): Promise<void> {
        this.#changes.clear();
        if (this.#isNew) return;
        this.#reloadSoon();
        await this.#ensureLoaded();
    }

    /** Persists the changes now rather than when the call returns. */
    async save(): Promise<void> {
        const now = Date.now();
        const { options } = this.#ctx;
        if (!this.#isNew && this.#id === undefined && (this.#hasValues() || options.saveUninitialized)) this.#startNew({});
        if (this.#isNew) {
            await this.#createNow(now);
        } else if (this.#id !== undefined && this.#changes.size > 0) {
            await this.#updateNow(now);
        } else if (this.#record && now - this.#record.lastSeenAt >= options.touchAfterMs) {
            await this.touch();
        }
        if (this.#resign && this.#record && !this.#isNew) this.#sendCookie(now);
        this.#resign = false;
    }

    /** Slides the idle expiry now, whatever `touchAfterMs` says. */
    async touch(): Promise<void> {
        await this.#ensureLoaded();
        if (!this.#record || this.#isNew) return;
        const now = Date.now();
        const touched = await this.#run(store => store.touch(this.#key(), this.#activity(now)));
        if (!touched) return this.#forget();
        this.#applyToRecord({}, now);
        if (this.#ctx.options.rolling) this.#sendCookie(now);
    }

    async #createNow(now: number): Promise<void> {
        const { options } = this.#ctx;
        const record = this.#record!;
        const data = this.#currentData();
        if (Object.keys(data).length === 0 && !options.saveUninitialized) {
            // Nothing to keep (saveUninitialized=false): no record, no cookie.
            this.#forget();
            this.#changes.clear();
            return;
        }
        const userId = data[options.userIdKey];
        const created: SessionRecord = {
            ...record,
            data,
            userId: typeof userId === 'string' ? userId : undefined,
            lastSeenAt: now,
            idleExpiresAt: Math.min(now + options.idleTimeoutMs, record.absoluteExpiresAt),
        };
        await this.#run(store => store.create(this.#key(), created));
        this.#record = created;
        this.#isNew = false;
        this.#changes.clear();
        this.#sendCookie(now);
    }

    async #updateNow(now: number): Promise<void> {
        const changes: SessionChanges = { set: {}, unset: [] };
        for (const [key, value] of this.#changes) {
            if (value === UNSET) changes.unset.push(key);
            else changes.set[key] = value;
        }
        const { userIdKey } = this.#ctx.options;
        const activity = this.#changes.has(userIdKey) ? this.#activity(now, userIdKey, this.#pending(userIdKey)) : this.#activity(now);
        const updated = await this.#run(store => store.update(this.#key(), changes, activity));
        if (!updated) {
            // Expired or destroyed meanwhile: never write into it; what was set starts a new session.
            this.#forget();
            this.#startNew({});
            return this.#createNow(now);
        }
        if (this.#record) {
            this.#applyToRecord(this.#currentData(), now, true);
            if (this.#ctx.options.rolling) this.#sendCookie(now);
        }
        this.#changes.clear();
    }

    #ensureLoaded(): Promise<void> {
        this.#loading ??= this.#load();
        return this.#loading;
    }

    async #load(): Promise<void> {
        if (this.#id === undefined || this.#isNew) return;
        const now = Date.now();
        const record = await this.#run(store => store.load(this.#key(), now));
        if (record && this.#isFresh(record, now)) {
            this.#record = record;
            return;
        }
        // Unknown, expired or destroyed: the client is told to drop the cookie.
        this.#forget();
    }

    /** Checked here, not left to the store's sweeper: the store may still hold an expired record. */
    #isFresh(record: SessionRecord, now: number): boolean {
        const { idleTimeoutMs, absoluteTimeoutMs } = this.#ctx.options;
        return isLive(record, now)
            && record.lastSeenAt + idleTimeoutMs > now
            && record.createdAt + absoluteTimeoutMs > now;
    }

    #startNew(data: Record<string, unknown>): void {
        const now = Date.now();
        const { idleTimeoutMs, absoluteTimeoutMs } = this.#ctx.options;
        this.#id = this.#ctx.codec.newId();
        this.#isNew = true;
        this.#loading = Promise.resolve();
        this.#record = {
            v: SESSION_RECORD_VERSION,
            data,
            createdAt: now,
            lastSeenAt: now,
            idleExpiresAt: now + idleTimeoutMs,
            absoluteExpiresAt: now + absoluteTimeoutMs,
        };
    }

    /**
     * No session any more; a client holding a stored id is told to drop its cookie. Pending changes
     * stay: written later, they start a new session.
     */
    #forget(): void {
        if (this.#storedId() !== undefined) this.#cookies.clear(this.#ctx.options.cookieName);
        this.#id = undefined;
        this.#record = undefined;
        this.#isNew = false;
    }

    #reloadSoon(): void {
        this.#record = undefined;
        this.#loading = undefined;
    }

    #storedId(): string | undefined {
        return this.#isNew ? undefined : this.#id;
    }

    #key(): string {
        return this.#ctx.codec.storeKey(this.#id!);
    }

    #sendCookie(now: number): void {
        const { options, codec } = this.#ctx;
        const record = this.#record!;
        const maxAgeMs = options.rolling ? Math.min(record.idleExpiresAt, record.absoluteExpiresAt) - now : record.absoluteExpiresAt - now;
        this.#cookies.set(options.cookieName, codec.sign(this.#id!), Math.max(0, maxAgeMs));
    }

    /** What every write records: activity now, and the user index when `key` is the user id key. */
    #activity(now: number, key?: string, value?: unknown): SessionActivity {
        const { idleTimeoutMs, userIdKey } = this.#ctx.options;
        const activity: SessionActivity = { now, lastSeenAt: now, idleExpiresAt: now + idleTimeoutMs };
        if (key === userIdKey) activity.userId = typeof value === 'string' ? value : null;
        return activity;
    }

    #applyToRecord(values: Record<string, unknown>, now: number, replace = false): void {
        const record = this.#record!;
        const data = replace ? {} : record.data;
        for (const [key, value] of Object.entries(values)) {
            if (value === undefined) delete data[key];
            else data[key] = value;
        }
        record.data = data;
        record.lastSeenAt = now;
        record.idleExpiresAt = now + this.#ctx.options.idleTimeoutMs;
    }

    #pending(key: string): unknown {
        const value = this.#changes.get(key);
        return value === UNSET ? undefined : value;
    }

    #hasValues(): boolean {
        return [...this.#changes.values()].some(value => value !== UNSET);
    }

    /** The data as this call sees it: stored values with pending changes applied. */
    #currentData(): Record<string, unknown> {
        const data: Record<string, unknown> = { ...this.#record?.data };
        for (const [key, value] of this.#changes) {
            if (value === UNSET) delete data[key];
            else data[key] = value;
        }
        return data;
    }

    #run<T>(operation: (store: SessionStore) => Promise<T>): Promise<T> {
        return this.#ctx.store.run(operation, this.#logger);
    }
}

function checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0 || FORBIDDEN_KEYS.has(key)) {
        throw new TypeError(`tsrpc-session: '${String(key)}' cannot be a session key`);
    }
}

/** Spreads retries of racing updates so they stop colliding. */
function jitter(attempt: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
}
