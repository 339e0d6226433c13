import { isCookieName } from '../../../../shared/cookieName';
import type { ApiCall } from 'tsrpc';
import { SessionAuditHook } from '../observability/audit';
import { MemoryStore } from '../stores/MemoryStore';
import { withDefaults } from './withDefaults';
import { SESSION_STORE_METHODS, SessionStore } from '../stores/SessionStore';
import { normalizeOrigin } from '../guards/webSocketOrigins';

const MINUTE = 60_000;

/** Where a session id travels: the body's `__cookie`, an HttpOnly HTTP cookie, or a request header. */
export type SessionCarrier = 'body' | 'httpCookie' | 'header';

export const SESSION_CARRIERS: readonly SessionCarrier[] = Object.freeze(['body', 'httpCookie', 'header']);

/** How the session cookie is sent as an HTTP cookie (carrier `httpCookie`). */
export interface HttpCookieOptions {
    /** Send it only over HTTPS; false for plain-HTTP development. @defaultValue true */
    secure: boolean;
    /** `None` requires `secure`. @defaultValue 'Lax' */
    sameSite: 'Strict' | 'Lax' | 'None';
    /** @defaultValue '/' */
    path: string;
    /** @defaultValue none: the cookie goes back to the host that set it only */
    domain: string | undefined;
    /**
     * Page origins (`scheme://host[:port]`) other than the API's own that the CSRF check lets
     * call. They keep their session in the body: TSRPC's browser client sends no credentials to
     * another origin. @defaultValue []
     */
    trustedOrigins: readonly string[];
    /**
     * Where a WebSocket client redeems session tickets for the cookie: a path under the
     * HttpServer's `jsonHostPath`. @defaultValue '__session'
     */
    exchangePath: string;
}

export const defaultHttpCookieOptions: Readonly<HttpCookieOptions> = Object.freeze({
    secure: true,
    sameSite: 'Lax',
    path: '/',
    domain: undefined,
    trustedOrigins: Object.freeze([]) as readonly string[],
    exchangePath: '__session',
});

/** Every option as the plugin uses it, defaults filled in; what `SessionPlugin.options` holds. */
export interface ResolvedSessionOptions {
    /**
     * Where sessions live. The in-process {@link MemoryStore} suits development only: use
     * MongoStore or RedisStore when the server restarts or runs as several processes.
     * @defaultValue a new MemoryStore
     */
    store: SessionStore;
    /**
     * HMAC keys for the session cookie, each at least 32 bytes. The first signs; all verify, so a
     * new secret goes first and an old one stays until the cookies it signed have expired.
     * Required.
     */
    secrets: readonly string[];
    /** @defaultValue 'sid' */
    cookieName: string;
    /**
     * Where the session id may travel, in order of precedence: when a call carries it in two, the
     * first listed decides (an invalid value there makes the call anonymous, no fallback).
     * @defaultValue ['body']
     */
    carriers: readonly SessionCarrier[];
    /** The session cookie as an HTTP cookie (carrier `httpCookie`). @defaultValue see {@link defaultHttpCookieOptions} */
    httpCookie: Readonly<HttpCookieOptions>;
    /** The request and response header of carrier `header`, lower-case. @defaultValue 'x-session-id' */
    sessionHeader: string;
    /** A session unused this long ends. @defaultValue 30 minutes */
    idleTimeoutMs: number;
    /**
     * A session without a user (no `userIdKey` value) unused this long ends, in the store too (its
     * expiry follows this until a user id is set), so anonymous traffic cannot fill the store for
     * `idleTimeoutMs` per call. Between `touchAfterMs` and `idleTimeoutMs`. @defaultValue idleTimeoutMs
     */
    anonymousIdleTimeoutMs: number;
    /** A session ends this long after it was created, however active. @defaultValue 24 hours */
    absoluteTimeoutMs: number;
    /** An unchanged session is written back (to slide its idle expiry) at most this often. @defaultValue 1 minute */
    touchAfterMs: number;
    /**
     * Re-send the session cookie, with the idle timeout as its lifetime, on every write or touch.
     * When false the cookie lives until the absolute timeout and the server alone judges idleness.
     * @defaultValue false
     */
    rolling: boolean;
    /** Create and store a session for every call, even one that writes nothing. @defaultValue false */
    saveUninitialized: boolean;
    /** The session data key whose value indexes the session under a user (device lists, revocation). @defaultValue 'userId' */
    userIdKey: string;
    /** App cookies accepted per call; further incoming ones are dropped. @defaultValue 32 */
    maxCookies: number;
    /** Total size of app cookie names and values per call; incoming ones past it are dropped. @defaultValue 4096 */
    maxCookieBytes: number;
    /** A store operation that takes longer fails the call with SESSION_STORE_UNAVAILABLE; 0 waits forever. @defaultValue 5000 */
    storeTimeoutMs: number;
    /**
     * Give a session a new id once its id is this old (0: never). The old id keeps working for
     * `renewGraceMs`, so calls already in flight with it still succeed. @defaultValue 0
     */
    renewIdAfterMs: number;
    /** How long a renewed id stays valid for calls already in flight. @defaultValue 10 seconds */
    renewGraceMs: number;
    /** Receives created, regenerated, renewed, destroyed, expired, revoked, rejected and evicted events. @defaultValue none */
    onAudit: SessionAuditHook | undefined;
    /** Salt of the hashes in audit events; set it to follow sessions across servers. @defaultValue random per process */
    auditSalt: string;
    /** What a devices page shows for a session, read when it is created. @defaultValue the User-Agent header, cut to 200 characters */
    sessionLabel: (call: ApiCall) => string | undefined;
    /**
     * The clock, in milliseconds since the epoch, for every expiry, touch and renewal decision; tests
     * pass a clock they advance instead of sleeping. Stores with their own expiry (Redis PEXPIREAT,
     * Mongo TTL) still delete on the real clock. @defaultValue Date.now
     */
    now: () => number;
    /**
     * Report spans and metrics (`tsrpc_session.*`) to the OpenTelemetry providers the app registered
     * with `@opentelemetry/api`; without one, or without that package, this costs a check per event.
     * @defaultValue true
     */
    telemetry: boolean;
}

/** What `enableSession` takes: `secrets` is required, every other option has a default. */
export type SessionOptions = Pick<ResolvedSessionOptions, 'secrets'> & Partial<Omit<ResolvedSessionOptions, 'secrets' | 'httpCookie'>> & {
    httpCookie?: Partial<HttpCookieOptions>;
};

/** The defaults; `anonymousIdleTimeoutMs` is absent: it defaults to whatever `idleTimeoutMs` is. */
export const defaultSessionOptions: Readonly<Omit<ResolvedSessionOptions, 'store' | 'secrets' | 'anonymousIdleTimeoutMs'>> = Object.freeze({
    cookieName: 'sid',
    carriers: Object.freeze(['body']) as readonly SessionCarrier[],
    httpCookie: defaultHttpCookieOptions,
    sessionHeader: 'x-session-id',
    idleTimeoutMs: 30 * MINUTE,
    absoluteTimeoutMs: 24 * 60 * MINUTE,
    touchAfterMs: MINUTE,
    rolling: false,
    saveUninitialized: false,
    userIdKey: 'userId',
    maxCookies: 32,
    maxCookieBytes: 4096,
    storeTimeoutMs: 5000,
    renewIdAfterMs: 0,
    renewGraceMs: 10_000,
    onAudit: undefined,
    auditSalt: '',
    sessionLabel: userAgentLabel,
    now: Date.now,
    telemetry: true,
});

const MAX_LABEL_LENGTH = 200;

/** The User-Agent of the HTTP request, or of the WebSocket upgrade request; none for inner calls. */
export function userAgentLabel(call: ApiCall): string | undefined {
    const httpReq = (call.conn as { httpReq?: { headers?: Record<string, unknown> } }).httpReq;
    const userAgent = httpReq?.headers?.['user-agent'];
    return typeof userAgent === 'string' && userAgent !== '' ? userAgent.slice(0, MAX_LABEL_LENGTH) : undefined;
}

/** Merges defaults and fails at registration, never at the first request, on anything unusable. */
export function resolveSessionOptions(options: SessionOptions): Readonly<ResolvedSessionOptions> {
    const resolved: Omit<ResolvedSessionOptions, 'anonymousIdleTimeoutMs'> & { anonymousIdleTimeoutMs?: number } =
        withDefaults({ ...defaultSessionOptions, store: options.store ?? new MemoryStore(), secrets: [] as readonly string[] }, { ...options, httpCookie: undefined });
    const fail = (message: string): never => { throw new TypeError(`tsrpc-session: ${message}`); };

    if (!Array.isArray(resolved.secrets) || resolved.secrets.length === 0) {
        fail('options.secrets needs at least one secret');
    }
    resolved.secrets.forEach((secret, i) => {
        if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < 32) {
            fail(`options.secrets[${i}] must be a string of at least 32 bytes`);
        }
    });
    for (const method of SESSION_STORE_METHODS) {
        if (typeof resolved.store?.[method] !== 'function') fail(`options.store is missing the method ${method}()`);
    }
    if (!isCookieName(resolved.cookieName)) fail(`options.cookieName '${resolved.cookieName}' is not a valid cookie name`);
    for (const name of ['idleTimeoutMs', 'absoluteTimeoutMs', 'maxCookies', 'maxCookieBytes'] as const) {
        if (!Number.isInteger(resolved[name]) || resolved[name] <= 0) fail(`options.${name} must be a positive integer`);
    }
    for (const name of ['touchAfterMs', 'storeTimeoutMs', 'renewIdAfterMs', 'renewGraceMs'] as const) {
        if (!Number.isInteger(resolved[name]) || resolved[name] < 0) fail(`options.${name} must be a non-negative integer`);
    }
    const anonymousIdleTimeoutMs = resolved.anonymousIdleTimeoutMs ?? resolved.idleTimeoutMs;
    if (!Number.isInteger(anonymousIdleTimeoutMs) || anonymousIdleTimeoutMs <= 0) fail('options.anonymousIdleTimeoutMs must be a positive integer');
    if (anonymousIdleTimeoutMs > resolved.idleTimeoutMs) fail('options.anonymousIdleTimeoutMs must not exceed options.idleTimeoutMs');
    if (resolved.touchAfterMs >= resolved.idleTimeoutMs) fail('options.touchAfterMs must be shorter than options.idleTimeoutMs');
    if (resolved.touchAfterMs >= anonymousIdleTimeoutMs) fail('options.touchAfterMs must be shorter than options.anonymousIdleTimeoutMs');
    if (resolved.idleTimeoutMs > resolved.absoluteTimeoutMs) fail('options.idleTimeoutMs must not exceed options.absoluteTimeoutMs');
    if (resolved.renewIdAfterMs > 0 && resolved.renewGraceMs >= resolved.idleTimeoutMs) fail('options.renewGraceMs must be shorter than options.idleTimeoutMs');
    if (resolved.onAudit !== undefined && typeof resolved.onAudit !== 'function') fail('options.onAudit must be a function');
    if (typeof resolved.sessionLabel !== 'function') fail('options.sessionLabel must be a function');
    if (typeof resolved.now !== 'function') fail('options.now must be a function');
    if (typeof resolved.telemetry !== 'boolean') fail('options.telemetry must be true or false');
    const carriers = resolveCarriers(resolved.carriers, fail);
    const httpCookie = resolveHttpCookie(options.httpCookie, fail);
    const sessionHeader = typeof resolved.sessionHeader === 'string' ? resolved.sessionHeader.toLowerCase() : '';
    if (!HEADER_NAME.test(sessionHeader) || RESERVED_HEADERS.has(sessionHeader)) fail(`options.sessionHeader '${String(resolved.sessionHeader)}' is not a usable header name`);
    return Object.freeze({ ...resolved, anonymousIdleTimeoutMs, secrets: Object.freeze([...resolved.secrets]), carriers, httpCookie, sessionHeader });
}

/** An RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/;
/** Headers whose meaning the session header would clash with. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(['cookie', 'set-cookie', 'host', 'origin', 'content-type', 'content-length', 'sec-fetch-site']);
/** What a cookie's Path and Domain attributes may hold without ending the attribute early. */
const COOKIE_ATTRIBUTE = /^[\x21-\x3a\x3c-\x7e]+$/;
const EXCHANGE_PATH = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

function resolveCarriers(carriers: unknown, fail: (message: string) => never): readonly SessionCarrier[] {
    if (!Array.isArray(carriers) || carriers.length === 0) fail('options.carriers needs at least one carrier');
    const list = carriers as unknown[];
    for (const carrier of list) {
        if (!SESSION_CARRIERS.includes(carrier as SessionCarrier)) fail(`options.carriers: unknown carrier '${String(carrier)}' (${SESSION_CARRIERS.join(', ')})`);
    }
    if (new Set(list).size !== list.length) fail('options.carriers lists a carrier twice');
    return Object.freeze([...list]) as readonly SessionCarrier[];
}

function resolveHttpCookie(given: Partial<HttpCookieOptions> | undefined, fail: (message: string) => never): Readonly<HttpCookieOptions> {
    if (given !== undefined && (given === null || typeof given !== 'object')) fail('options.httpCookie must be an object');
    const resolved = withDefaults({ ...defaultHttpCookieOptions }, given ?? {});
    if (typeof resolved.secure !== 'boolean') fail('options.httpCookie.secure must be a boolean');
    if (!['Strict', 'Lax', 'None'].includes(resolved.sameSite)) fail(`options.httpCookie.sameSite must be 'Strict', 'Lax' or 'None'`);
    if (resolved.sameSite === 'None' && !resolved.secure) fail('options.httpCookie.sameSite None needs secure: true (browsers drop such cookies)');
    if (typeof resolved.path !== 'string' || !resolved.path.startsWith('/') || !COOKIE_ATTRIBUTE.test(resolved.path)) fail('options.httpCookie.path must start with / and hold no ; or spaces');
    if (resolved.domain !== undefined && (typeof resolved.domain !== 'string' || !COOKIE_ATTRIBUTE.test(resolved.domain))) fail('options.httpCookie.domain must be a domain name');
    if (typeof resolved.exchangePath !== 'string' || !EXCHANGE_PATH.test(resolved.exchangePath)) fail(`options.httpCookie.exchangePath must be a relative path such as '__session'`);
    if (!Array.isArray(resolved.trustedOrigins)) fail('options.httpCookie.trustedOrigins must be an array of origins');
    const trustedOrigins = resolved.trustedOrigins.map(origin => normalizeOrigin(origin) ?? fail(`options.httpCookie.trustedOrigins: '${String(origin)}' is not an origin (scheme://host[:port])`));
    return Object.freeze({ ...resolved, trustedOrigins: Object.freeze(trustedOrigins) });
}
