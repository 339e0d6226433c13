import { setImmediate as nextTick, setTimeout as sleep } from 'timers/promises';
import { CookieJar, CookieStorage, MemoryStorage } from 'tsrpc-session/client';

/** Where the jar of `namespace` lives in a storage, as the jar itself reports it: for tests that plant data there. */
export function jarStorageKey(namespace: string): string {
    return new CookieJar(new MemoryStorage(), namespace).storageKey;
}

/** Holds whatever it is given, strings or not: storage another library (or an older release) wrote into. */
export class RawStorage implements CookieStorage {
    readonly items = new Map<string, unknown>();

    getItem(key: string) {
        return this.items.get(key) as string | undefined;
    }

    setItem(key: string, value: string) {
        this.items.set(key, value);
    }

    removeItem(key: string) {
        this.items.delete(key);
    }
}

export type StorageMethod = 'getItem' | 'setItem' | 'removeItem';

/** A storage whose `methods` throw (sync) or reject (async); the others work. */
export function failingStorage(how: 'throws' | 'rejects', methods: readonly StorageMethod[]): CookieStorage {
    const inner = new RawStorage();
    const wrap = <A extends unknown[], R>(method: StorageMethod, fn: (...args: A) => R) => (...args: A): R | Promise<never> => {
        if (!methods.includes(method)) return fn(...args);
        const error = new Error(`storage ${method} is broken`);
        if (how === 'throws') throw error;
        return Promise.reject(error);
    };
    return {
        getItem: wrap('getItem', (key: string) => inner.getItem(key)),
        setItem: wrap('setItem', (key: string, value: string) => inner.setItem(key, value)),
        removeItem: wrap('removeItem', (key: string) => inner.removeItem(key)),
    };
}

/** Every method answers a Promise a little later, like IndexedDB or a remote store. */
export class AsyncStorage implements CookieStorage {
    readonly #inner = new RawStorage();

    async getItem(key: string) {
        await nextTick();
        return this.#inner.getItem(key);
    }

    async setItem(key: string, value: string) {
        await sleep(2);
        this.#inner.setItem(key, value);
    }

    async removeItem(key: string) {
        await nextTick();
        this.#inner.removeItem(key);
    }
}

/** Rejects when `promise` has not settled within `ms`: a pending callApi fails the test instead of hanging it. */
export async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    const timer = new AbortController();
    try {
        return await Promise.race([
            promise,
            sleep(ms, undefined, { signal: timer.signal }).then(() => { throw new Error(`${what} still pending after ${ms} ms`); }),
        ]);
    } finally {
        timer.abort();
    }
}
