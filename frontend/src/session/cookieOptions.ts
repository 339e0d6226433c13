import { isCookieName } from '../../../shared/cookieName';
import type { SessionEndReason } from '../../../shared/sessionEnd';
import { browserLocalStorage } from './storages/browserStorage';
import { CookieStorage } from './storages/CookieStorage';
import { MemoryStorage } from './storages/MemoryStorage';

/** How the client's session travels: in the jar (`__cookie`), or as the browser's HttpOnly cookie. */
export type ClientCarrier = 'body' | 'httpCookie';

export interface EnableCookiesOptions {
    /**
     * Where the jar lives.
     * @defaultValue `localStorage` in a browser, else a {@link MemoryStorage}
     */
    storage: CookieStorage;
    /**
     * Scopes the jar, so one server's session never goes to another. Give two clients one
     * namespace only when both server URLs are fixed by your app, never taken from user input.
     * @defaultValue the origin each call goes to (`scheme://host[:port]` of the client's server URL,
     * read per call), so clients of different origins never see each other's cookies
     */
    namespace: string;
    /**
     * Where the session travels, as the server's `carriers` allow. `'body'`: the jar keeps the
     * session cookie and sends it in `__cookie` (mini-programs, Node, cross-origin pages).
     * `'httpCookie'`: a page on the API's origin leaves the session to the browser's HttpOnly
     * cookie, out of reach of page scripts; the jar keeps app cookies only, and a WebSocket client
     * redeems the session tickets its calls answer at {@link EnableCookiesOptions.exchangeUrl}.
     * @defaultValue 'body'
     */
    carrier: ClientCarrier;
    /**
     * The server's session cookie (its `cookieName`): the cookie the jar drops when the session
     * ends, and never keeps in `'httpCookie'` mode.
     * @defaultValue 'sid'
     */
    sessionCookieName: string;
    /**
     * In `'httpCookie'` mode, where session tickets are redeemed for the HttpOnly cookie: the HTTP
     * server's `jsonHostPath` followed by its `httpCookie.exchangePath`, on the page's origin
     * (relative, as `'/api/__session'`, or absolute). Required for a WebSocket client in that mode;
     * an HTTP client gets its cookie straight from the server and needs none.
     * @defaultValue none
     */
    exchangeUrl: string;
    /**
     * How long a ticket's redemption may hold up the call that answered it; past that it counts
     * as failed (logged; the call still returns).
     * @defaultValue 10000
     */
    exchangeTimeoutMs: number;
    /**
     * For a WebSocket client: called once each time the server closes its socket because its
     * session ended (`'ended'`: a logout elsewhere) or was revoked (`'revoked'`). By then the jar
     * has dropped the session cookie (`'body'` mode); the next call reconnects first and runs
     * without that session. A manual `disconnect()` or any other close calls nothing. An HTTP
     * client has no socket to close: it learns of the end from its next call, which is anonymous.
     * @defaultValue none
     */
    onSessionEnded: (reason: SessionEndReason) => void;
    /**
     * The clock, in milliseconds since the epoch, on which the jar counts cookie lifetimes
     * (`maxAgeMs`): tests advance it instead of waiting, as the server's `now` option.
     * @defaultValue Date.now
     */
    now: () => number;
}

/** Where the session goes, with only what each carrier needs. */
export type ResolvedCarrier =
    | { kind: 'body' }
    | { kind: 'httpCookie'; exchange: TicketExchangeOptions | undefined };

export interface TicketExchangeOptions {
    url: string;
    timeoutMs: number;
}

export interface ResolvedCookieOptions {
    storage: CookieStorage;
    namespace: string | undefined;
    carrier: ResolvedCarrier;
    sessionCookieName: string;
    onSessionEnded: ((reason: SessionEndReason) => void) | undefined;
    now: () => number;
}

const DEFAULT_SESSION_COOKIE_NAME = 'sid';
const DEFAULT_EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * Checks the options once, when the jar is installed, so a misconfiguration fails at start and
 * never inside a call. `longConnection` tells a WebSocket client (`client.type === 'LONG'`).
 */
export function resolveCookieOptions(options: Partial<EnableCookiesOptions>, longConnection: boolean): ResolvedCookieOptions {
    const {
        carrier = 'body', sessionCookieName = DEFAULT_SESSION_COOKIE_NAME, exchangeUrl, exchangeTimeoutMs = DEFAULT_EXCHANGE_TIMEOUT_MS, onSessionEnded, now = Date.now,
    } = options;
    if (carrier !== 'body' && carrier !== 'httpCookie') fail(`carrier must be 'body' or 'httpCookie', not ${describe(carrier)}`);
    if (!isCookieName(sessionCookieName)) fail(`sessionCookieName ${describe(sessionCookieName)} is not a cookie name`);
    if (exchangeUrl !== undefined && (typeof exchangeUrl !== 'string' || exchangeUrl === '')) fail('exchangeUrl must be a non-empty URL');
    if (!Number.isFinite(exchangeTimeoutMs) || exchangeTimeoutMs <= 0) fail('exchangeTimeoutMs must be a positive number of milliseconds');
    if (onSessionEnded !== undefined && typeof onSessionEnded !== 'function') fail('onSessionEnded must be a function');
    if (typeof now !== 'function') fail('now must be a function returning milliseconds since the epoch');
    if (options.storage !== undefined && !isStorage(options.storage)) {
        fail(`storage must be an object with getItem, setItem and removeItem, not ${describeStorage(options.storage)}: for a file, pass new FileStorage(path) from 'tsrpc-session/client/file-storage'`);
    }
    if (options.namespace !== undefined && typeof options.namespace !== 'string') fail(`namespace must be a string, not ${describe(options.namespace)}`);
    return {
        storage: options.storage ?? browserLocalStorage() ?? new MemoryStorage(),
        namespace: options.namespace,
        carrier: carrier === 'body' ? bodyCarrier(exchangeUrl) : httpCookieCarrier(exchangeUrl, exchangeTimeoutMs, longConnection),
        sessionCookieName,
        onSessionEnded,
        now,
    };
}

function bodyCarrier(exchangeUrl: string | undefined): ResolvedCarrier {
    if (exchangeUrl !== undefined) fail('exchangeUrl only applies to carrier \'httpCookie\'');
    return { kind: 'body' };
}

function httpCookieCarrier(exchangeUrl: string | undefined, timeoutMs: number, longConnection: boolean): ResolvedCarrier {
    if (exchangeUrl === undefined) {
        if (longConnection) fail('a WebSocket client with carrier \'httpCookie\' needs exchangeUrl, where it redeems session tickets for the HttpOnly cookie');
        return { kind: 'httpCookie', exchange: undefined };
    }
    if (typeof (globalThis as { fetch?: unknown }).fetch !== 'function') {
        fail('carrier \'httpCookie\' redeems session tickets with fetch(), which this runtime lacks');
    }
    return { kind: 'httpCookie', exchange: { url: exchangeUrl, timeoutMs } };
}

function isStorage(value: unknown): value is CookieStorage {
    const storage = value as Partial<Record<keyof CookieStorage, unknown>> | null;
    return typeof storage === 'object' && storage !== null
        && typeof storage.getItem === 'function' && typeof storage.setItem === 'function' && typeof storage.removeItem === 'function';
}

function describeStorage(value: unknown): string {
    if (typeof value === 'string') return `the string '${value}'`;
    return typeof value === 'object' && value !== null ? 'an object lacking one of them' : String(value);
}

function describe(value: unknown): string {
    return typeof value === 'string' ? `'${value}'` : String(value);
}

function fail(message: string): never {
    throw new TypeError(`tsrpc-session: enableCookies ${message}`);
}
