/**
 * Where a client keeps its cookie jar: the shape of `localStorage`, sync or async, so
 * localStorage, mini-program storage, files or a database all plug in the same way.
 */
export interface CookieStorage {
    getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
    setItem(key: string, value: string): void | Promise<void>;
    removeItem(key: string): void | Promise<void>;
}
