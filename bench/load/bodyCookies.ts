import { APP_COOKIE, FIXED_SEAL, FIXED_SEAL_BUSY, FIXED_SID } from '../server/ipc';
import type { CookieLoad } from '../scenarios';

type TsrpcReturn = { isSucc: boolean; res?: { __cookie?: Record<string, { value: string | null }> }; err?: { message: string } };

/**
 * TSRPC's cookie carriage as a minimal client does it: the live cookies go out in `__cookie`, the
 * changes come back in `res.__cookie`. Shared by the raw HTTP and WebSocket clients.
 */
export class BodyCookies {
    readonly #jar = new Map<string, string>();
    readonly #load: CookieLoad;
    /** The one `__cookie` a `fixed…` load sends on every call. */
    readonly #fixed: Record<string, string> | undefined;

    /** `withSid: false` when the session travels in a header: the body carries the app cookie only. */
    constructor(load: CookieLoad, withSid = true) {
        this.#load = load;
        this.#fixed = fixedCookies(load, withSid);
    }

    attach(req: object): object {
        if (this.#fixed) return { ...req, __cookie: this.#fixed };
        return this.#jar.size > 0 ? { ...req, __cookie: Object.fromEntries(this.#jar) } : req;
    }

    /** Merges a TSRPC return's cookie changes (a `fixed` load ignores them, as an attacker would); rejects a failed call. */
    merge(ret: TsrpcReturn): void {
        if (!ret.isSucc) throw new Error(ret.err?.message ?? 'call failed');
        if (this.#load !== 'session') return;
        for (const [name, update] of Object.entries(ret.res?.__cookie ?? {})) {
            if (update.value === null) this.#jar.delete(name);
            else this.#jar.set(name, update.value);
        }
    }
}

const FIXED_SIDS: Partial<Record<CookieLoad, string>> = { 'fixed': FIXED_SID, 'fixed-seal': FIXED_SEAL, 'fixed-seal-busy': FIXED_SEAL_BUSY };

/** What a `fixed…` load sends in `__cookie` (undefined for the other loads). */
export function fixedCookies(load: CookieLoad, withSid = true): Record<string, string> | undefined {
    const sid = FIXED_SIDS[load];
    if (sid === undefined) return undefined;
    const app = { [APP_COOKIE.name]: APP_COOKIE.value };
    return withSid ? { sid, ...app } : app;
}
