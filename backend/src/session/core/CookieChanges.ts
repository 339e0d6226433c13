import { inspect } from 'util';
import type { CookieUpdate, CookieUpdates } from '../../../../shared/protocols/base';

/** What holds a call's cookie changes, made on the first: most calls change none. */
export interface ChangingCookies {
    changing(): CookieChanges;
}

/** The changes one call makes to the client's cookies, the session cookie's once its reply carrier is the body. */
export class CookieChanges {
    /** Made on the first change: most calls change no cookie, and every call has a CookieChanges. */
    #updates: Map<string, CookieUpdate> | undefined;

    set(name: string, value: string, maxAgeMs?: number): void {
        (this.#updates ??= new Map()).set(name, maxAgeMs === undefined ? { value } : { value, maxAgeMs });
    }

    /** Adds a change as the wire carries it (the session cookie's, decided by the core). */
    put(name: string, update: CookieUpdate): void {
        (this.#updates ??= new Map()).set(name, update);
    }

    clear(name: string): void {
        (this.#updates ??= new Map()).set(name, { value: null });
    }

    get(name: string): CookieUpdate | undefined {
        return this.#updates?.get(name);
    }

    /** Takes a change back out, for a cookie that travels some other way than the body. */
    delete(name: string): void {
        this.#updates?.delete(name);
    }

    get isEmpty(): boolean {
        return this.#updates === undefined || this.#updates.size === 0;
    }

    names(): string[] {
        return this.#updates ? [...this.#updates.keys()] : [];
    }

    /**
     * The wire form, or undefined when nothing changed. It prints as "[redacted]", so the session id
     * never reaches TSRPC's response log.
     */
    toWire(): CookieUpdates | undefined {
        if (this.#updates === undefined || this.#updates.size === 0) return undefined;
        const wire: CookieUpdates = new WireCookies();
        this.#updates.forEach((update, name) => { wire[name] = update; });
        return wire;
    }
}

/**
 * The wire form's object: it prints redacted through its prototype's method, not a property
 * defined on each object (a `defineProperty` per answer, which also leaves the object slower to
 * validate and serialise). Serialised and validated as a plain object: the method is not enumerable.
 */
class WireCookies {
    [name: string]: CookieUpdate;

    [inspect.custom](): string {
        return '[cookies redacted]';
    }
}
