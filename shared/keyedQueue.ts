/**
 * Runs tasks one at a time per key, each after every earlier task on that key has settled
 * (fulfilled or rejected), so read-modify-writes of one key never interleave. A key with nothing
 * queued holds no memory.
 */
export class KeyedQueue<K> {
    readonly #tails = new Map<K, Promise<void>>();

    run<T>(key: K, task: () => Promise<T>): Promise<T> {
        const previous = this.#tails.get(key) ?? Promise.resolve();
        const result = previous.then(task);
        const settled = result.then(() => undefined, () => undefined);
        this.#tails.set(key, settled);
        void settled.then(() => {
            if (this.#tails.get(key) === settled) this.#tails.delete(key);
        });
        return result;
    }
}
