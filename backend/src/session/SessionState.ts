import type { BaseConnection, Logger } from 'tsrpc';
import { AuditTrail } from './audit';
import { CookieChanges } from './CallCookies';
import { ConnectionBindings } from './ConnectionBindings';
import { DeviceDirectory } from './DeviceDirectory';
import { GuardedStore } from './GuardedStore';
import { ResolvedSessionOptions } from './options';
import { SessionIdCodec, VerifiedId } from './SessionIdCodec';
import { isLive, SESSION_RECORD_VERSION, SessionActivity, SessionChanges, SessionRecord, SessionStore } from './stores/SessionStore';

/** What every session of one server shares. */
export interface SessionContext {
    options: ResolvedSessionOptions;
    codec: SessionIdCodec;
    store: GuardedStore;
    audit: AuditTrail;
    bindings: ConnectionBindings;
    devices: DeviceDirectory;
}

/** What one call contributes: where it came from, for logs, labels and WebSocket binding. */
export interface CallInfo {
    logger?: Logger;
    conn?: BaseConnection;
    /** Read only when a session is created: most calls never need it. */
    label?: () => string | undefined;
}

export const UNSET = Symbol('unset');

/** How a session in memory came to be, announced to the audit hook once it is stored. */
export interface SessionOrigin {
    type: 'created' | 'regenerated' | 'renewed';
    previousKey?: string;
}

/** Plugin bookkeeping kept in the session data, so every store carries it without knowing it. */
export const RESERVED_KEY_PREFIX = '__tsrpc';
/** On a renewed session's old record: the store key of the record that replaced it. */
const SUCCESSOR_KEY = `${RESERVED_KEY_PREFIX}Successor`;
/** When the current id was issued; `createdAt` stays the session's birth, for the absolute timeout. */
const ID_ISSUED_AT_KEY = `${RESERVED_KEY_PREFIX}IdIssuedAt`;

/**
 * The state of one call's session and every way it reaches the store. `Session` is the public
 * face; this class is internal to the plugin.
 */
export class SessionState {
    readonly ctx: SessionContext;
    readonly info: CallInfo;
    readonly #cookies: CookieChanges;
    /** The id in use: the request's (unverified against the store until loaded) or a new one. */
    id: string | undefined;
    /** Where writes go: the id's store key (hashed on first use), or a renewed session's successor. */
    #key: string | undefined;
    /** The stored record, once loaded, or the one to create at save() when `isNew`. */
    record: SessionRecord | undefined;
    isNew = false;
    resign: boolean;
    /** A record found under a renewed id: never renewed again, never re-sent. */
    #viaSuccessor = false;
    #origin: SessionOrigin = { type: 'created' };
    #loading: Promise<void> | undefined;
    readonly changes = new Map<string, unknown>();

    constructor(ctx: SessionContext, cookies: CookieChanges, verified: VerifiedId | undefined, info: CallInfo) {
        this.ctx = ctx;
        this.info = info;
        this.#cookies = cookies;
        this.#setId(verified?.id);
        this.resign = verified !== undefined && !verified.signedWithCurrentSecret;
    }

    get key(): string | undefined {
        if (this.#key === undefined && this.id !== undefined) this.#key = this.ctx.codec.storeKey(this.id);
        return this.#key;
    }

    /** Loaded through a renewed id's pointer: the client already has, or is getting, the new id. */
    get viaSuccessor(): boolean {
        return this.#viaSuccessor;
    }

    /** The key of a session the client holds and the store has: not a new one still only in memory. */
    storedKey(): string | undefined {
        return this.isNew ? undefined : this.key;
    }

    ensureLoaded(): Promise<void> {
        this.#loading ??= this.#load();
        return this.#loading;
    }

    reloadSoon(): void {
        this.record = undefined;
        this.#loading = undefined;
    }

    /** Nothing to load any more: a destroyed session stays gone for the rest of the call. */
    markLoaded(): void {
        this.#loading = Promise.resolve();
    }

    async #load(): Promise<void> {
        const key = this.key;
        if (key === undefined || this.isNew) return;
        const now = Date.now();
        let record = await this.run(store => store.load(key, now));
        const successor = record?.data[SUCCESSOR_KEY];
        if (typeof successor === 'string') {
            // A call still carrying a renewed id, inside the grace window: it works on the successor.
            this.#key = successor;
            this.#viaSuccessor = true;
            record = await this.run(store => store.load(successor, now));
        }
        if (record && this.#isFresh(record, now)) {
            this.record = record;
            return;
        }
        this.ctx.audit.emit({ type: record ? 'expired' : 'rejected', key: this.key!, ...(!record && { reason: 'unknown' }) }, this.info.logger);
        this.forget();
    }

    /** Checked here, not left to the store's sweeper: the store may still hold an expired record. */
    #isFresh(record: SessionRecord, now: number): boolean {
        const { idleTimeoutMs, absoluteTimeoutMs } = this.ctx.options;
        return isLive(record, now) && record.lastSeenAt + idleTimeoutMs > now && record.createdAt + absoluteTimeoutMs > now;
    }

    /** A session under a fresh id, kept in memory until save(). `createdAt` carries over on renewal. */
    startNew(data: Record<string, unknown>, origin: SessionOrigin = { type: 'created' }, createdAt = Date.now()): void {
        const { idleTimeoutMs, absoluteTimeoutMs } = this.ctx.options;
        this.#setId(this.ctx.codec.newId());
        this.#origin = origin;
        this.isNew = true;
        this.#viaSuccessor = false;
        this.markLoaded();
        this.record = {
            v: SESSION_RECORD_VERSION,
            data,
            createdAt,
            lastSeenAt: createdAt,
            idleExpiresAt: createdAt + idleTimeoutMs,
            absoluteExpiresAt: createdAt + absoluteTimeoutMs,
        };
    }

    /** No session any more; a client holding a stored id is told to drop it. Pending changes stay. */
    forget(): void {
        if (this.storedKey() !== undefined) this.clearCookie();
        this.#setId(undefined);
        this.record = undefined;
        this.isNew = false;
        this.#viaSuccessor = false;
    }

    clearCookie(): void {
        this.#cookies.clear(this.ctx.options.cookieName);
    }

    async createNow(now: number): Promise<void> {
        const { options } = this.ctx;
        const record = this.record!;
        const data = this.appData();
        if (Object.keys(data).length === 0 && !options.saveUninitialized) {
            // Nothing to keep (saveUninitialized=false): no record, no cookie.
            this.forget();
            this.changes.clear();
            return;
        }
        if (options.renewIdAfterMs > 0) data[ID_ISSUED_AT_KEY] = now;
        const userId = data[options.userIdKey];
        const created: SessionRecord = {
            ...record,
            data,
            userId: typeof userId === 'string' ? userId : undefined,
            label: record.label ?? this.info.label?.(),
            lastSeenAt: now,
            idleExpiresAt: Math.min(now + options.idleTimeoutMs, record.absoluteExpiresAt),
        };
        await this.run(store => store.create(this.key!, created));
        this.record = created;
        this.isNew = false;
        this.changes.clear();
        this.sendCookie(now);
        this.ctx.audit.emit({ ...this.#origin, key: this.key!, userId: created.userId }, this.info.logger);
    }

    async updateNow(now: number): Promise<void> {
        const changes: SessionChanges = { set: {}, unset: [] };
        for (const [key, value] of this.changes) {
            if (value === UNSET) changes.unset.push(key);
            else changes.set[key] = value;
        }
        const { userIdKey } = this.ctx.options;
        const activity = this.changes.has(userIdKey) ? this.activity(now, userIdKey, this.pending(userIdKey)) : this.activity(now);
        const updated = await this.run(store => store.update(this.key!, changes, activity));
        if (!updated) {
            // Expired or destroyed meanwhile: never write into it; what was set starts a new session.
            this.forget();
            this.startNew({});
            return this.createNow(now);
        }
        if (this.record) {
            this.record.data = this.currentData();
            this.#recordActivity(now);
        }
        if (this.ctx.options.rolling) this.sendCookie(now);
        this.changes.clear();
    }

    async touchNow(now: number): Promise<void> {
        const touched = await this.run(store => store.touch(this.key!, this.activity(now)));
        if (!touched) return this.forget();
        this.#recordActivity(now);
        if (this.ctx.options.rolling) this.sendCookie(now);
    }

    /** True when the id is due for renewal (renewIdAfterMs) and this call may do it. */
    renewalDue(now: number): boolean {
        const { renewIdAfterMs } = this.ctx.options;
        if (renewIdAfterMs === 0 || !this.record || this.isNew || this.#viaSuccessor) return false;
        const issuedAt = this.record.data[ID_ISSUED_AT_KEY];
        return now - (typeof issuedAt === 'number' ? issuedAt : this.record.createdAt) >= renewIdAfterMs;
    }

    /**
     * The same session under a new id. The old record is kept for `renewGraceMs` as a pointer to
     * the new one, out of the user index, so in-flight calls with the old id still work.
     */
    async renewNow(now: number): Promise<void> {
        const previousKey = this.key!;
        const old = this.record!;
        this.startNew(this.currentData(), { type: 'renewed', previousKey }, old.createdAt);
        this.record!.label = old.label;
        this.changes.clear();
        await this.createNow(now);
        const pointer: SessionActivity = { now, lastSeenAt: now, idleExpiresAt: now + this.ctx.options.renewGraceMs, userId: null };
        await this.run(store => store.update(previousKey, { set: { [SUCCESSOR_KEY]: this.key }, unset: [] }, pointer));
        this.ctx.bindings.rekey(previousKey, this.key!, this.id!);
    }

    sendCookie(now: number): void {
        // A call through a renewed id must not hand that id out again.
        if (this.#viaSuccessor) return;
        const { options, codec } = this.ctx;
        const record = this.record;
        // A write that never read the session knows its new idle expiry, not its absolute one.
        let end: number;
        if (options.rolling) end = record ? Math.min(record.idleExpiresAt, record.absoluteExpiresAt) : now + options.idleTimeoutMs;
        else if (record) end = record.absoluteExpiresAt;
        else return;
        this.#cookies.set(options.cookieName, codec.sign(this.id!), Math.max(0, end - now));
    }

    /** What every write records: activity now, and the user index when `key` is the user id key. */
    activity(now: number, key?: string, value?: unknown): SessionActivity {
        const { idleTimeoutMs, userIdKey } = this.ctx.options;
        const activity: SessionActivity = { now, lastSeenAt: now, idleExpiresAt: now + idleTimeoutMs };
        if (key === userIdKey) activity.userId = typeof value === 'string' ? value : null;
        return activity;
    }

    pending(key: string): unknown {
        const value = this.changes.get(key);
        return value === UNSET ? undefined : value;
    }

    hasValues(): boolean {
        return [...this.changes.values()].some(value => value !== UNSET);
    }

    /** The data as this call sees it: stored values with pending changes applied. */
    currentData(): Record<string, unknown> {
        const data: Record<string, unknown> = { ...this.record?.data };
        for (const [key, value] of this.changes) {
            if (value === UNSET) delete data[key];
            else data[key] = value;
        }
        return data;
    }

    /** The current data without the plugin's bookkeeping: what handlers see and new records start from. */
    appData(): Record<string, unknown> {
        const data = this.currentData();
        for (const key of Object.keys(data)) {
            if (key.startsWith(RESERVED_KEY_PREFIX)) delete data[key];
        }
        return data;
    }

    run<T>(operation: (store: SessionStore) => Promise<T>): Promise<T> {
        return this.ctx.store.run(operation, this.info.logger);
    }

    #recordActivity(now: number): void {
        const record = this.record!;
        record.lastSeenAt = now;
        record.idleExpiresAt = now + this.ctx.options.idleTimeoutMs;
    }

    #setId(id: string | undefined): void {
        this.id = id;
        this.#key = undefined;
    }
}
