import { SESSION_STORE_METHODS, SessionStore } from './SessionStore';

export type StoreOperation = typeof SESSION_STORE_METHODS[number];

/**
 * Wraps a store and counts its operations, for tests, benchmarks and monitoring: "this call cost
 * one read" is then a measured figure, not a belief.
 */
export class CountingStore implements SessionStore {
    readonly counts: Record<StoreOperation, number> = emptyCounts();
    readonly #inner: SessionStore;

    constructor(inner: SessionStore) {
        this.#inner = inner;
    }

    get inProcess(): boolean {
        return this.#inner.inProcess === true;
    }

    get total(): number {
        return Object.values(this.counts).reduce((sum, n) => sum + n, 0);
    }

    reset(): void {
        Object.assign(this.counts, emptyCounts());
    }

    load: SessionStore['load'] = (...args) => this.#count('load', () => this.#inner.load(...args));
    create: SessionStore['create'] = (...args) => this.#count('create', () => this.#inner.create(...args));
    update: SessionStore['update'] = (...args) => this.#count('update', () => this.#inner.update(...args));
    compareAndSet: SessionStore['compareAndSet'] = (...args) => this.#count('compareAndSet', () => this.#inner.compareAndSet(...args));
    touch: SessionStore['touch'] = (...args) => this.#count('touch', () => this.#inner.touch(...args));
    destroy: SessionStore['destroy'] = (...args) => this.#count('destroy', () => this.#inner.destroy(...args));
    listByUser: SessionStore['listByUser'] = (...args) => this.#count('listByUser', () => this.#inner.listByUser(...args));
    destroyByUser: SessionStore['destroyByUser'] = (...args) => this.#count('destroyByUser', () => this.#inner.destroyByUser(...args));

    async close(): Promise<void> {
        await this.#inner.close?.();
    }

    #count<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
        this.counts[operation]++;
        return run();
    }
}

function emptyCounts(): Record<StoreOperation, number> {
    return Object.fromEntries(SESSION_STORE_METHODS.map(m => [m, 0])) as Record<StoreOperation, number>;
}
