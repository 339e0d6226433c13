import { CookieStorage } from './CookieStorage';

/** Keeps the jar for the life of the process: the default outside browsers. */
export class MemoryStorage implements CookieStorage {
    readonly #items = new Map<string, string>();

    getItem(key: string): string | undefined {
        return this.#items.get(key);
    }

    setItem(key: string, value: string): void {
        this.#items.set(key, value);
    }

    removeItem(key: string): void {
        this.#items.delete(key);
    }
}
