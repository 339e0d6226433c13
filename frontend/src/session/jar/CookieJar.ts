import { isCookieName } from '../../../../shared/cookieName';
import { KeyedQueue } from '../../../../shared/keyedQueue';
import type { CookieValues } from '../../../../shared/protocols/base';
import { sealOrder } from '../../../../shared/sealOrder';
import { CookieStorage } from '../storages/CookieStorage';

/** Format version of the stored jar, so a later release can read what this one wrote. */
export const JAR_VERSION = 1;

interface StoredCookie {
    value: string;
    expiresAt?: number;
}

/** Read-modify-writes of one storage key run one at a time, whichever jar object asks. */
const queues = new WeakMap<CookieStorage, KeyedQueue<string>>();

/**
 * A client's cookies for one server, kept in a {@link CookieStorage} under one storage key.
 * Content it cannot understand (corrupt, foreign, an older format) is discarded; a storage that
 * itself fails makes the jar's methods reject, which `enableCookies` turns into a call without
 * cookies or with its cookie changes lost, never into a failed or pending call.
 */
export class CookieJar {
    readonly #storage: CookieStorage;
    /** Where in the storage this jar keeps its cookies: one item per namespace. */
    readonly storageKey: string;
    readonly #now: () => number;

    /** `now` is the clock cookie lifetimes are counted on (`enableCookies`'s `now` option). */
    constructor(storage: CookieStorage, namespace: string, now: () => number = Date.now) {
        this.#storage = storage;
        this.storageKey = `tsrpc-session:${namespace}`;
        this.#now = now;
    }

    /** The cookies that are not expired: what the next call sends. */
    async getAll(now = this.#now()): Promise<CookieValues> {
        const live: CookieValues = {};
        for (const [name, cookie] of await this.#read()) {
            if (!isExpired(cookie, now)) live[name] = cookie.value;
        }
        return live;
    }

    async get(name: string): Promise<string | undefined> {
        return (await this.getAll())[name];
    }

    /**
     * Merges what a response changed. A response only changes a cookie the jar still holds as its
     * request sent it: a slower response never undoes a newer one (a login's fresh session id is not
     * overwritten by a call that left before the login finished). Sealed sessions (shared/sealOrder.ts)
     * add the newer-seal rule: a later seal of the session the request sent counts as "as sent", and
     * of two seals of one session the one with more writes is kept, whichever reply came first.
     */
    apply(updates: unknown, sent: CookieValues, now = this.#now()): Promise<void> {
        if (!isPlainObject(updates)) return Promise.resolve();
        return this.#exclusive(async () => {
            const cookies = await this.#read();
            let changed = false;
            for (const [name, update] of Object.entries(updates)) {
                if (!isCookieName(name) || !isPlainObject(update)) continue;
                const held = cookies.get(name);
                const live = held && !isExpired(held, now) ? held.value : undefined;
                const { value, maxAgeMs } = update as { value?: unknown; maxAgeMs?: unknown };
                if (!replaces(value, live, held?.value === sent[name], sent[name])) continue;
                if (value === null || maxAgeMs === 0) {
                    changed = cookies.delete(name) || changed;
                } else if (typeof value === 'string') {
                    const lifetime = typeof maxAgeMs === 'number' && Number.isFinite(maxAgeMs) && maxAgeMs > 0 ? maxAgeMs : undefined;
                    cookies.set(name, lifetime === undefined ? { value } : { value, expiresAt: now + lifetime });
                    changed = true;
                }
            }
            if (changed) await this.#write(cookies, now);
        });
    }

    /** Forgets every cookie of this server. */
    clear(): Promise<void> {
        return this.#exclusive(async () => { await this.#storage.removeItem(this.storageKey); });
    }

    /** Rejects when the storage fails: a passing failure must not cost the user their jar. */
    async #read(): Promise<Map<string, StoredCookie>> {
        const cookies = new Map<string, StoredCookie>();
        const text = await this.#storage.getItem(this.storageKey);
        if (!text) return cookies;
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            await this.#discard();
            return cookies;
        }
        const jar = parsed as { v?: unknown; cookies?: unknown };
        if (!isPlainObject(jar) || jar.v !== JAR_VERSION || !isPlainObject(jar.cookies)) {
            await this.#discard();
            return cookies;
        }
        for (const [name, cookie] of Object.entries(jar.cookies)) {
            const { value, expiresAt } = (cookie ?? {}) as { value?: unknown; expiresAt?: unknown };
            if (!isCookieName(name) || typeof value !== 'string') continue;
            if (expiresAt !== undefined && typeof expiresAt !== 'number') continue;
            cookies.set(name, expiresAt === undefined ? { value } : { value, expiresAt });
        }
        return cookies;
    }

    async #write(cookies: Map<string, StoredCookie>, now: number): Promise<void> {
        const live = [...cookies].filter(([, cookie]) => !isExpired(cookie, now));
        if (live.length === 0) return this.#storage.removeItem(this.storageKey);
        await this.#storage.setItem(this.storageKey, JSON.stringify({ v: JAR_VERSION, cookies: Object.fromEntries(live) }));
    }

    async #discard(): Promise<void> {
        try {
            await this.#storage.removeItem(this.storageKey);
        } catch {
            // A storage that cannot even remove is left as it is; the jar reads as empty.
        }
    }

    #exclusive<T>(task: () => Promise<T>): Promise<T> {
        let queue = queues.get(this.#storage);
        if (!queue) queues.set(this.#storage, queue = new KeyedQueue());
        return queue.run(this.storageKey, task);
    }
}

/**
 * Whether a reply's value replaces the held one. As sent (or nothing held and nothing sent): yes.
 * Else only for a sealed session whose held seal is a later one of the session the request sent:
 * a seal of that session replaces it when it has more writes; anything else (a login's new
 * session, a logout) replaces it as it would have replaced the seal the request sent.
 */
function replaces(value: unknown, live: string | undefined, heldAsSent: boolean, sent: string | undefined): boolean {
    if (heldAsSent || (sent === undefined && live === undefined)) return true;
    const heldOrder = sealOrder(live);
    const sentOrder = sealOrder(sent);
    if (!heldOrder || !sentOrder || heldOrder.lineage !== sentOrder.lineage || heldOrder.writes < sentOrder.writes) return false;
    const order = sealOrder(value);
    return order?.lineage !== heldOrder.lineage || order.writes > heldOrder.writes;
}

function isExpired(cookie: StoredCookie, now: number): boolean {
    return cookie.expiresAt !== undefined && cookie.expiresAt <= now;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
