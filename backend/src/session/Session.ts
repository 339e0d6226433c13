import { CallSession } from './CallSession';
import { DeviceInfo } from './DeviceDirectory';
import { FORBIDDEN_KEYS } from '../../../shared/cookieName';
import { RESERVED_KEY_PREFIX } from './recordVersions';
import { SessionData, SessionKey, SessionValue } from './SessionData';
import { recordOf } from './SessionState';

export { DESTROYED_REASON } from './CallSession';

export interface RegenerateOptions {
    /** Carry the data over to the new id. @defaultValue true */
    keepData?: boolean;
}

/**
 * The session as a WebSocket message handler gets it from `sessionOf(conn)`: read, change, save.
 * No `regenerate()` or `destroy()`: their cookie changes would have no response to ride on.
 */
export class ConnectionSession {
    /** @internal */
    protected readonly core: CallSession;

    /** @internal Made by the plugin. */
    constructor(core: CallSession) {
        this.core = core;
    }

    /** The session id, once the session has been read and found live, or created in this call. */
    get id(): string | undefined {
        const state = this.core.state;
        return state.kind === 'loaded' || state.kind === 'followed' || state.kind === 'new' ? state.id : undefined;
    }

    async get<K extends SessionKey>(key: K): Promise<SessionValue<K> | undefined> {
        const { core } = this;
        if (core.changes.has(key)) return core.changes.get(key) as SessionValue<K> | undefined;
        await core.ensureRead();
        return recordOf(core.state)?.data[key] as SessionValue<K> | undefined;
    }

    async getAll(): Promise<Partial<SessionData>> {
        await this.core.ensureRead();
        return this.core.data() as Partial<SessionData>;
    }

    /** Sets one key; `undefined` unsets it. Persisted when the call returns. */
    async set<K extends SessionKey>(key: K, value: SessionValue<K> | undefined): Promise<void> {
        checkKey(key);
        this.core.changes.set(key, value);
    }

    async unset(key: SessionKey): Promise<void> {
        checkKey(key);
        this.core.changes.set(key, undefined);
    }

    /** Unsets every key; the session itself (its id, its user index) stays. */
    async clear(): Promise<void> {
        await this.core.ensureRead();
        for (const key of Object.keys(this.core.data())) this.core.changes.set(key, undefined);
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
        return this.core.update(key, fn);
    }

    /** Drops unsaved changes and reads the session again. */
    async reload(): Promise<void> {
        this.core.changes.clear();
        this.core.unread();
        await this.core.ensureRead();
    }

    /** Persists the changes now rather than when the call returns. The plugin calls it for every call. */
    save(): Promise<void> {
        return this.core.save();
    }

    /** Slides the idle expiry now, whatever `touchAfterMs` says. */
    touch(): Promise<void> {
        return this.core.touch();
    }

    /** The logged-in user's sessions (see `userIdKey`), newest activity first; none when nobody is logged in. */
    devices(): Promise<DeviceInfo[]> {
        return this.core.devices();
    }

    /** Ends every other session of the user ("log out other devices"); returns how many. */
    revokeOtherDevices(): Promise<number> {
        return this.core.revokeOtherDevices();
    }

    /** Ends one of the user's sessions by its device handle (this one too: that is a logout). */
    revokeDevice(handle: string): Promise<boolean> {
        return this.core.revokeDevice(handle);
    }
}

/**
 * `call.session`: the session of one call. Read lazily (a call that never touches it costs no store
 * operation), at most once per call; writes are collected and persisted, per key, when the call
 * returns (or at `save()`).
 */
export class Session extends ConnectionSession {
    /**
     * A new id for this session; the old id is dead at once. Call it on every change of privilege
     * (login, logout, role change) so an id planted before cannot ride along (session fixation).
     * Only this call's connection follows the new id; other WebSockets bound to the old one are
     * unbound (they read no session until their own next call).
     */
    async regenerate(options: RegenerateOptions = {}): Promise<void> {
        await this.core.regenerate(options.keepData !== false);
    }

    /** Ends the session in the store now and tells the client to drop its cookie. Later writes start a new session. */
    async destroy(): Promise<void> {
        await this.core.destroy();
    }
}

function checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0 || FORBIDDEN_KEYS.has(key) || key.startsWith(RESERVED_KEY_PREFIX)) {
        throw new TypeError(`tsrpc-session: '${String(key)}' cannot be a session key`);
    }
}
