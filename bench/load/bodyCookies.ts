/**
 * TSRPC's cookie carriage as a minimal client does it: the live cookies go out in `__cookie`, the
 * changes come back in `res.__cookie`. Shared by the raw HTTP and WebSocket clients.
 */
export class BodyCookies {
    readonly #jar = new Map<string, string>();

    attach(req: object): object {
        return this.#jar.size > 0 ? { ...req, __cookie: Object.fromEntries(this.#jar) } : req;
    }

    /** Merges a TSRPC return's cookie changes; rejects a failed call. */
    merge(ret: { isSucc: boolean; res?: { __cookie?: Record<string, { value: string | null }> }; err?: { message: string } }): void {
        if (!ret.isSucc) throw new Error(ret.err?.message ?? 'call failed');
        for (const [name, update] of Object.entries(ret.res?.__cookie ?? {})) {
            if (update.value === null) this.#jar.delete(name);
            else this.#jar.set(name, update.value);
        }
    }
}
