import { isCookieName } from '../../../shared/cookieName';
import type { ApiCall } from 'tsrpc';
import { SessionAuditHook } from './audit';
import { MemoryStore } from './stores/MemoryStore';
import { withDefaults } from './withDefaults';
import { SESSION_STORE_METHODS, SessionStore } from './stores/SessionStore';

const MINUTE = 60_000;

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
}

/** What `enableSession` takes: `secrets` is required, every other option has a default. */
export type SessionOptions = Pick<ResolvedSessionOptions, 'secrets'> & Partial<Omit<ResolvedSessionOptions, 'secrets'>>;

/** The defaults; `anonymousIdleTimeoutMs` is absent: it defaults to whatever `idleTimeoutMs` is. */
export const defaultSessionOptions: Readonly<Omit<ResolvedSessionOptions, 'store' | 'secrets' | 'anonymousIdleTimeoutMs'>> = Object.freeze({
    cookieName: 'sid',
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
        withDefaults({ ...defaultSessionOptions, store: options.store ?? new MemoryStore(), secrets: [] as readonly string[] }, options);
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
    return Object.freeze({ ...resolved, anonymousIdleTimeoutMs, secrets: Object.freeze([...resolved.secrets]) });
}
