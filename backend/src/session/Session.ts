import { CookieChanges } from './CallCookies';
import { DeviceInfo } from './DeviceDirectory';
import { updateConflictError } from './errors';
import { FORBIDDEN_KEYS } from '../../../shared/cookieName';
import { SessionData, SessionKey, SessionValue } from './SessionData';
import { VerifiedId } from './SessionIdCodec';
import { CallInfo, RESERVED_KEY_PREFIX, SessionContext, SessionState, UNSET } from './SessionState';

export interface RegenerateOptions {
    /** Carry the data over to the new id. @defaultValue true */
    keepData?: boolean;
}

const MAX_UPDATE_ATTEMPTS = 16;

let untouched: (session: Session) => boolean;

/** @internal True when `save()` has nothing to do: the call neither read nor changed its session. */
export function isUntouched(session: Session): boolean {
    return untouched(session);
}
export const DESTROYED_REASON = 'tsrpc-session: session ended';

/**
 * `call.session`: the session of one call. Read lazily (a call that never touches it costs no store
 * operation), at most once per call; writes are collected and persisted, per key, when the call
 * returns (or at `save()`).
 */
export class Session {
    readonly #state: SessionState;

    static {
        untouched = session => {
            const state = session.#state;
            return !state.isNew && state.record === undefined && state.changes.size === 0 && !state.ctx.options.saveUninitialized;
        };
    }

    /** @internal Made by the plugin for each call. */
    constructor(ctx: SessionContext, cookies: CookieChanges, verified: VerifiedId | undefined, info: CallInfo = {}) {
        this.#state = new SessionState(ctx, cookies, verified, info);
    }

    /** The session id, once the session has been read and found live, or created in this call. */
    get id(): string | undefined {
        return this.#state.record ? this.#state.id : undefined;
    }

    async get<K extends SessionKey>(key: K): Promise<SessionValue<K> | undefined> {
        const state = this.#state;
        if (state.changes.has(key)) return state.pending(key) as SessionValue<K> | undefined;
        await state.ensureLoaded();
        return state.record?.data[key] as SessionValue<K> | undefined;
    }

    async getAll(): Promise<Partial<SessionData>> {
        await this.#state.ensureLoaded();
        return this.#state.appData() as Partial<SessionData>;
    }

    /** Sets one key; `undefined` unsets it. Persisted when the call returns. */
    async set<K extends SessionKey>(key: K, value: SessionValue<K> | undefined): Promise<void> {
        checkKey(key);
        this.#state.changes.set(key, value === undefined ? UNSET : value);
    }

    async unset(key: SessionKey): Promise<void> {
        checkKey(key);
        this.#state.changes.set(key, UNSET);
    }

    /** Unsets every key; the session itself (its id, its user index) stays. */
    async clear(): Promise<void> {
        await this.#state.ensureLoaded();
        for (const key of Object.keys(this.#state.appData())) this.#state.changes.set(key, UNSET);
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
    async update<K extends SessionKey, R extends SessionValue<K> | undefined>(key: K, fn: (current: SessionValue<K> | undefined) => R): Promise<R> {
        checkKey(key);
        const state = this.#state;
        for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            await state.ensureLoaded();
            const current = state.changes.has(key) ? state.pending(key) : state.record?.data[key];
            const next = fn(structuredClone(current) as SessionValue<K> | undefined);
            if (!state.record || state.isNew) {
                // Nobody else can see a session that is not stored yet: it is created whole at save().
                state.changes.set(key, next === undefined ? UNSET : next);
                return next;
            }
            const expected = state.record.data[key];
            const now = Date.now();
            const result = await state.run(store => store.compareAndSet(state.key!, key, expected, next, state.activity(now, key, next)));
            if (result === 'ok') {
                state.changes.delete(key);
                if (next === undefined) delete state.record.data[key];
                else state.record.data[key] = next;
                return next;
            }
            if (result === 'missing') state.forget();
            else state.reloadSoon();
            await jitter(attempt);
        }
        throw updateConflictError(key);
    }

    /**
     * A new id for this session; the old id is dead at once. Call it on every change of privilege
     * (login, logout, role change) so an id planted before cannot ride along (session fixation).
     */
    async regenerate(options: RegenerateOptions = {}): Promise<void> {
        const state = this.#state;
        await state.ensureLoaded();
        const data = options.keepData === false ? {} : state.appData();
        const previousKey = state.storedKey();
        state.changes.clear();
        state.startNew(data, { type: 'regenerated', previousKey });
        if (previousKey === undefined) return;
        state.clearCookie();
        state.ctx.bindings.rekey(previousKey, state.key!, state.id!);
        await state.run(store => store.destroy(previousKey));
    }

    /** Ends the session in the store now and tells the client to drop its cookie. Later writes start a new session. */
    async destroy(): Promise<void> {
        const state = this.#state;
        const previousKey = state.storedKey();
        const userId = this.#userId();
        state.forget();
        state.changes.clear();
        state.markLoaded();
        if (previousKey === undefined) return;
        await state.run(store => store.destroy(previousKey));
        state.ctx.bindings.close(previousKey, DESTROYED_REASON, state.info.conn);
        state.ctx.audit.emit({ type: 'destroyed', key: previousKey, userId }, state.info.logger);
    }

    /** Drops unsaved changes and reads the session again. */
    async reload(): Promise<void> {
        const state = this.#state;
        state.changes.clear();
        if (state.isNew) return;
        state.reloadSoon();
        await state.ensureLoaded();
    }

    /** Persists the changes now rather than when the call returns. The plugin calls it for every call. */
    async save(): Promise<void> {
        const state = this.#state;
        const { options, bindings } = state.ctx;
        // With renewal on, a write must know whether its id was renewed, or it would land in the old record.
        if (options.renewIdAfterMs > 0 && state.changes.size > 0) await state.ensureLoaded();
        const now = Date.now();
        if (!state.isNew && state.id === undefined && (state.hasValues() || options.saveUninitialized)) state.startNew({});
        if (state.isNew) await state.createNow(now);
        else if (state.renewalDue(now)) await state.renewNow(now);
        else if (state.id !== undefined && state.changes.size > 0) await state.updateNow(now);
        else if (state.record && now - state.record.lastSeenAt >= options.touchAfterMs) await state.touchNow(now);
        if (state.resign && state.record && !state.isNew && !state.viaSuccessor) state.sendCookie(now);
        state.resign = false;
        if (state.info.conn && state.record && !state.isNew) bindings.bind(state.info.conn, state.key!, state.id!);
    }

    /** Slides the idle expiry now, whatever `touchAfterMs` says. */
    async touch(): Promise<void> {
        const state = this.#state;
        await state.ensureLoaded();
        if (state.record && !state.isNew) await state.touchNow(Date.now());
    }

    /** The logged-in user's sessions (see `userIdKey`), newest activity first; none when nobody is logged in. */
    async devices(): Promise<DeviceInfo[]> {
        const userId = await this.#loadedUserId();
        if (userId === undefined) return [];
        return this.#state.ctx.devices.list(userId, this.#state.key, this.#state.info.logger);
    }

    /** Ends one of the user's sessions by its device handle (this one too: that is a logout). */
    async revokeDevice(handle: string): Promise<boolean> {
        const state = this.#state;
        const userId = await this.#loadedUserId();
        if (userId === undefined) return false;
        const key = await state.ctx.devices.keyOf(userId, handle, state.info.logger);
        if (key === undefined) return false;
        if (key === state.key) {
            await this.destroy();
            return true;
        }
        await state.ctx.devices.revokeKeys(userId, [key], state.info.conn, state.info.logger);
        return true;
    }

    /** Ends every other session of the user ("log out other devices"); returns how many. */
    async revokeOtherDevices(): Promise<number> {
        const userId = await this.#loadedUserId();
        if (userId === undefined) return 0;
        return this.#state.ctx.devices.revokeAll(userId, this.#state.key, this.#state.info.conn, this.#state.info.logger);
    }

    async #loadedUserId(): Promise<string | undefined> {
        await this.#state.ensureLoaded();
        return this.#userId();
    }

    #userId(): string | undefined {
        const userId = this.#state.currentData()[this.#state.ctx.options.userIdKey];
        return typeof userId === 'string' ? userId : undefined;
    }
}

function checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0 || FORBIDDEN_KEYS.has(key) || key.startsWith(RESERVED_KEY_PREFIX)) {
        throw new TypeError(`tsrpc-session: '${String(key)}' cannot be a session key`);
    }
}

/** Spreads retries of racing updates so they stop colliding. */
function jitter(attempt: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
}
