import { CookieChanges } from '../core/CookieChanges';
import { isCookieName } from '../../../../shared/cookieName';
import type { CallCookies, CookieSetOptions } from './handlerApi';
import { ResolvedSessionOptions } from '../plugin/options';

export interface IncomingCookies {
    appCookies: ReadonlyMap<string, string>;
    sessionCookie: unknown;
}

/** What a call without `__cookie` brings; shared, as nothing writes to it. */
const NO_COOKIES: IncomingCookies = Object.freeze({ appCookies: new Map<string, string>(), sessionCookie: undefined });

/**
 * The client's app cookies, sanitised: only valid names and string values, at most
 * `maxCookies` of them and `maxCookieBytes` in all; the rest is dropped. The session cookie is
 * returned separately and never shown to handlers.
 */
export function readIncomingCookies(raw: unknown, options: ResolvedSessionOptions): IncomingCookies {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return NO_COOKIES;
    const appCookies = new Map<string, string>();
    let sessionCookie: unknown;
    let bytes = 0;
    for (const name of Object.keys(raw)) {
        const value: unknown = Reflect.get(raw, name);
        if (name === options.cookieName) {
            sessionCookie = value;
            continue;
        }
        if (typeof value !== 'string' || !isCookieName(name) || appCookies.size >= options.maxCookies) continue;
        const size = name.length + Buffer.byteLength(value, 'utf8');
        if (bytes + size > options.maxCookieBytes) continue;
        bytes += size;
        appCookies.set(name, value);
    }
    return { appCookies, sessionCookie };
}

/** What backs `call.cookie`: the app cookies the call brought, with the changes it makes. */
export class AppCookies implements CallCookies {
    readonly #incoming: ReadonlyMap<string, string>;
    readonly #changes: CookieChanges;
    readonly #options: ResolvedSessionOptions;

    constructor(incoming: ReadonlyMap<string, string>, changes: CookieChanges, options: ResolvedSessionOptions) {
        this.#incoming = incoming;
        this.#changes = changes;
        this.#options = options;
    }

    get(name: string): string | undefined {
        if (name === this.#options.cookieName) return undefined;
        const update = this.#changes.get(name);
        if (update) return update.value ?? undefined;
        return this.#incoming.get(name);
    }

    getAll(): Record<string, string> {
        const all: Record<string, string> = {};
        for (const name of new Set([...this.#incoming.keys(), ...this.#changes.names()])) {
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
        this.#changes.set(name, value, maxAgeMs);
    }

    clear(name: string): void {
        this.#checkName(name);
        this.#changes.clear(name);
    }

    #checkName(name: string): void {
        if (name === this.#options.cookieName) {
            throw new TypeError(`tsrpc-session: '${name}' is the session cookie; use call.session instead`);
        }
        if (!isCookieName(name)) throw new TypeError(`tsrpc-session: '${String(name)}' is not a valid cookie name`);
    }
}
