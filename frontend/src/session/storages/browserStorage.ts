import { CookieStorage } from './CookieStorage';

/** The page's `localStorage`, when there is one: shared by the origin's tabs. */
export function browserLocalStorage(): CookieStorage | undefined {
    try {
        const storage = (globalThis as { localStorage?: CookieStorage }).localStorage;
        return storage ?? undefined;
    } catch {
        // Reading localStorage throws where storage is disabled (sandboxed frames, some privacy modes).
        return undefined;
    }
}
