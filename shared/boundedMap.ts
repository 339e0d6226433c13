/**
 * A map of at most `maxEntries`, the least recently used out first, in O(1) per operation.
 *
 * A plain Map trimmed one entry at a time (`map.delete(map.keys().next().value)`) is not O(1) in
 * V8: each deleted entry stays a hole until the table is rebuilt, and `keys().next()` walks every
 * hole at the front. A full cache of 10,000 that evicts on each insert paid 3 to 7 µs per insert.
 * Here entries live in two generations instead: new and used ones go to the young one; when it
 * holds half the bound it becomes the old one, and the previous old one is dropped whole. An entry
 * read from the old generation moves to the young one, so what is in use stays.
 */
export class BoundedMap<K, V> {
    readonly #generationSize: number;
    /** False for a bound of 1: the young generation alone is the whole map. */
    readonly #keepsOld: boolean;
    #young = new Map<K, V>();
    #old = new Map<K, V>();

    /** At least half of `maxEntries` recent entries (at least one) are always kept, and never more than `maxEntries`. */
    constructor(maxEntries: number) {
        if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`BoundedMap: maxEntries must be a positive integer, got ${maxEntries}`);
        this.#generationSize = Math.max(1, Math.floor(maxEntries / 2));
        this.#keepsOld = maxEntries >= 2;
    }

    get size(): number {
        return this.#young.size + this.#old.size;
    }

    get(key: K): V | undefined {
        const young = this.#young.get(key);
        if (young !== undefined || this.#young.has(key)) return young;
        if (!this.#old.has(key)) return undefined;
        const value = this.#old.get(key) as V;
        this.#old.delete(key);
        this.#addYoung(key, value);
        return value;
    }

    has(key: K): boolean {
        return this.#young.has(key) || this.#old.has(key);
    }

    /** Stores `value` as the most recently used entry. */
    set(key: K, value: V): this {
        if (this.#young.has(key)) {
            // Re-inserted, so iteration (oldest first) sees it as the newest.
            this.#young.delete(key);
            this.#young.set(key, value);
            return this;
        }
        this.#old.delete(key);
        this.#addYoung(key, value);
        return this;
    }

    delete(key: K): boolean {
        return this.#young.delete(key) || this.#old.delete(key);
    }

    clear(): void {
        this.#young.clear();
        this.#old.clear();
    }

    /** Oldest first; the map must not change while this iterates. */
    *entries(): IterableIterator<[K, V]> {
        yield* this.#old.entries();
        yield* this.#young.entries();
    }

    #addYoung(key: K, value: V): void {
        if (this.#young.size >= this.#generationSize) {
            this.#old = this.#keepsOld ? this.#young : new Map();
            this.#young = new Map();
        }
        this.#young.set(key, value);
    }
}
