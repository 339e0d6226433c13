import type { DeviceInfo } from '../core/SessionContext';
import type { SessionData, SessionKey, SessionValue } from './SessionData';

// What handlers see. Interfaces, not the plugin's classes: apps use these objects, only the plugin
// makes them, and the published types then name nothing apps cannot import.

export interface RegenerateOptions {
    /** Carry the data over to the new id. @defaultValue true */
    keepData?: boolean;
}

/**
 * The session as a WebSocket message handler gets it from `sessionOf(conn)`: read, change, save.
 * No `regenerate()` or `destroy()`: their cookie changes would have no response to ride on.
 */
export interface ConnectionSession {
    /** The session id, once the session has been read and found live, or created in this call. */
    readonly id: string | undefined;
    get<K extends SessionKey>(key: K): Promise<SessionValue<K> | undefined>;
    getAll(): Promise<Partial<SessionData>>;
    /** Sets one key; `undefined` unsets it. Persisted when the call returns. */
    set<K extends SessionKey>(key: K, value: SessionValue<K> | undefined): Promise<void>;
    unset(key: SessionKey): Promise<void>;
    /** Unsets every key; the session itself (its id, its user index) stays. */
    clear(): Promise<void>;
    /**
     * Atomic read-modify-write of one key, written at once: parallel calls changing the same key
     * (a cart) all keep their change. `fn` gets a copy and may run more than once.
     * @throws TsrpcError SESSION_UPDATE_CONFLICT after 16 lost races in a row.
     * @example
     * ```ts
     * const cart = await call.session.update('cart', (cart = []) => [...cart, line]);
     * ```
     */
    update<K extends SessionKey, R extends SessionValue<K> | undefined>(key: K, fn: (current: SessionValue<K> | undefined) => R): Promise<R>;
    /** Drops unsaved changes and reads the session again. */
    reload(): Promise<void>;
    /** Persists the changes now rather than when the call returns. The plugin calls it for every call. */
    save(): Promise<void>;
    /** Slides the idle expiry now, whatever `touchAfterMs` says. */
    touch(): Promise<void>;
    /** The logged-in user's sessions (see `userIdKey`), newest activity first; none when nobody is logged in. */
    devices(): Promise<DeviceInfo[]>;
    /** Ends every other session of the user ("log out other devices"); returns how many. */
    revokeOtherDevices(): Promise<number>;
    /** Ends one of the user's sessions by its device handle (this one too: that is a logout). */
    revokeDevice(handle: string): Promise<boolean>;
}

/**
 * `call.session`: the session of one call. Read lazily (a call that never touches it costs no store
 * operation), at most once per call; writes are collected and persisted, per key, when the call
 * returns (or at `save()`).
 */
export interface Session extends ConnectionSession {
    /**
     * A new id for this session; the old id is dead at once. Call it on every change of privilege
     * (login, logout, role change) so an id planted before cannot ride along (session fixation).
     * Only this call's connection follows the new id; other WebSockets bound to the old one are
     * unbound (they read no session until their own next call).
     */
    regenerate(options?: RegenerateOptions): Promise<void>;
    /** Ends the session in the store now and tells the client to drop its cookie. Later writes start a new session. */
    destroy(): Promise<void>;
}

export interface CookieSetOptions {
    /** How long the client keeps the cookie; without it, until the server changes or clears it. */
    maxAgeMs?: number;
}

/**
 * `call.cookie`: the app cookies, like HTTP cookies — the client may change them, so never trust
 * them for authorisation; that is what `call.session` is for.
 */
export interface CallCookies {
    /** The value as this call left it: a value set in this call wins, a cleared cookie is undefined. */
    get(name: string): string | undefined;
    getAll(): Record<string, string>;
    /** @throws TypeError on an invalid name, the session cookie's name, or when the limits would be passed. */
    set(name: string, value: string, options?: CookieSetOptions): void;
    clear(name: string): void;
}
