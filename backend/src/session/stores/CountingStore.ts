import { SESSION_STORE_METHODS, SessionActivity, SessionChanges, SessionRecord } from './SessionStore';
import { StoreOperation, StoreWrapper } from './StoreWrapper';

export type { StoreOperation } from './StoreWrapper';

/**
 * Wraps a store and counts its operations, for tests, benchmarks and monitoring: "this call cost
 * one read" is then a measured figure, not a belief.
 */
export class CountingStore extends StoreWrapper {
    readonly counts: Record<StoreOperation, number> = emptyCounts();

    get total(): number {
        return Object.values(this.counts).reduce((sum, n) => sum + n, 0);
    }

    reset(): void {
        Object.assign(this.counts, emptyCounts());
    }

    /** A read answered from memory is a read all the same: counted as a `load` when answered. */
    loadCached(key: string, now: number): SessionRecord | null | undefined {
        const held = this.inner.loadCached?.(key, now);
        if (held !== undefined) this.counts.load++;
        return held;
    }

    /** An update done at once is an update all the same: counted when done. */
    updateNow(key: string, changes: SessionChanges, activity: SessionActivity): boolean | undefined {
        const updated = this.inner.updateNow?.(key, changes, activity);
        if (updated !== undefined) this.counts.update++;
        return updated;
    }

    protected override around<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
        this.counts[operation]++;
        return run();
    }
}

function emptyCounts(): Record<StoreOperation, number> {
    return Object.fromEntries(SESSION_STORE_METHODS.map(m => [m, 0])) as Record<StoreOperation, number>;
}
