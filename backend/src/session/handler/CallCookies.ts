import { ChangingCookies, CookieChanges } from '../core/CookieChanges';
import { isCookieName } from '../../../../shared/cookieName';
import type { CallCookies, CookieSetOptions } from './handlerApi';
import { ResolvedSessionOptions } from '../plugin/options';

/** What a call without app cookies brings; shared, as nothing writes to it. */
const NO_COOKIES: ReadonlyMap<string, string> = new Map();

function isCookieObject(raw: unknown): raw is object {
    return raw !== null && typeof raw === 'object' && !Array.isArray(raw);
}

/** The session cookie's value as the body carried it, unchecked; undefined when absent. */
export function sessionCookieIn(raw: unknown, options: ResolvedSessionOptions): unknown {
    return isCookieObject(raw) && Object.hasOwn(raw, options.cookieName) ? Reflect.get(raw, options.cookieName) : undefined;
}

/**
 * The client's app cookies, sanitised: only valid names and string values, at most
 * `maxCookies` of them and `maxCookieBytes` in all; the rest is dropped. The session cookie is
 * never among them.
 */
function appCookiesIn(raw: unknown, options: ResolvedSessionOptions): ReadonlyMap<string, string> {
    if (!isCookieObject(raw)) return NO_COOKIES;
    const appCookies = new Map<string, string>();
    let bytes = 0;
    for (const name of Object.keys(raw)) {
        const value: unknown = Reflect.get(raw, name);
        const size = keptSize(name, value, appCookies.size, bytes, options);
        if (size < 0 || typeof value !== 'string') continue;
        bytes += size;
        appCookies.set(name, value);
    }
    return appCookies;
}

/** One app cookie as {@link appCookiesIn} keeps it, found without building the map: a handler reading one cookie. */
function appCookieIn(raw: unknown, wanted: string, options: ResolvedSessionOptions): string | undefined {
    if (!isCookieObject(raw) || !Object.hasOwn(raw, wanted)) return undefined;
    let kept = 0;
    let bytes = 0;
    for (const name of Object.keys(raw)) {
        const value: unknown = Reflect.get(raw, name);
        const size = keptSize(name, value, kept, bytes, options);
        if (name === wanted) return size < 0 || typeof value !== 'string' ? undefined : value;
        if (size < 0) continue;
        kept++;
        bytes += size;
    }
    return undefined;
}

/**
 * What a cookie takes of the limits when it is kept, -1 when it is dropped: taken in `Object.keys`
 * order, with `kept` cookies and `bytes` kept before it.
 */
function keptSize(name: string, value: unknown, kept: number, bytes: number, options: ResolvedSessionOptions): number {
    if (name === options.cookieName || typeof value !== 'string' || !isCookieName(name) || kept >= options.maxCookies) return -1;
    const size = name.length + Buffer.byteLength(value, 'utf8');
    return bytes + size > options.maxCookieBytes ? -1 : size;
}

/** What backs `call.cookie`: the app cookies the call brought, with the changes it makes. */
export class AppCookies implements CallCookies, ChangingCookies {
    /** The `__cookie` the call brought, sanitised whole on first need: most handlers read one app cookie or none. */
    readonly #raw: unknown;
    #sanitised: ReadonlyMap<string, string> | undefined;
    /** Made on the first change: most calls change no cookie. */
    #changes: CookieChanges | undefined;
    readonly #options: ResolvedSessionOptions;

    constructor(raw: unknown, options: ResolvedSessionOptions) {
        this.#raw = raw;
        this.#options = options;
    }

    /** The call's cookie changes, for its answer: undefined when it made none. */
    get changes(): CookieChanges | undefined {
        return this.#changes;
    }

    /** The call's cookie changes, made if there are none yet: the session cookie's joins them. */
    changing(): CookieChanges {
        return this.#changes ??= new CookieChanges();
    }

    get #incoming(): ReadonlyMap<string, string> {
        return this.#sanitised ??= appCookiesIn(this.#raw, this.#options);
    }

    get(name: string): string | undefined {
        if (name === this.#options.cookieName) return undefined;
        const update = this.#changes?.get(name);
        if (update) return update.value ?? undefined;
        return this.#sanitised ? this.#sanitised.get(name) : appCookieIn(this.#raw, name, this.#options);
    }

    getAll(): Record<string, string> {
        const all: Record<string, string> = {};
        for (const name of new Set([...this.#incoming.keys(), ...this.#changes?.names() ?? []])) {
            const value = this.get(name);
            if (value !== undefined) all[name] = value;
        }
        return all;
    }

    set(name: string, value: string, options: CookieSetOptions = {}): void {
        this.#checkName(name);
        if (typeof value !== 'string') throw new TypeError(`tsrpc-session: cookie '${name}' must be a string`);
        const { maxAgeMs } = options;
        if (maxAgeMs !== undefined && (!Number.isFinite(maxAgeMs) || maxAgeMs < 0)) {
            throw new TypeError(`tsrpc-session: cookie '${name}' maxAgeMs must be a non-negative number`);
        }
        const after = { ...this.getAll(), [name]: value };
        const names = Object.keys(after);
        const bytes = names.reduce((sum, n) => sum + n.length + Buffer.byteLength(after[n], 'utf8'), 0);
        if (names.length > this.#options.maxCookies || bytes > this.#options.maxCookieBytes) {
            throw new TypeError(`tsrpc-session: setting cookie '${name}' would pass maxCookies (${this.#options.maxCookies}) or maxCookieBytes (${this.#options.maxCookieBytes})`);
        }
        this.changing().set(name, value, maxAgeMs);
    }

    clear(name: string): void {
        this.#checkName(name);
        this.changing().clear(name);
    }

    #checkName(name: string): void {
        if (name === this.#options.cookieName) {
            throw new TypeError(`tsrpc-session: '${name}' is the session cookie; use call.session instead`);
        }
        if (!isCookieName(name)) throw new TypeError(`tsrpc-session: '${String(name)}' is not a valid cookie name`);
    }
}
