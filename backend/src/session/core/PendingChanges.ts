import { SessionChanges } from '../stores/SessionStore';

const UNSET = Symbol('unset');

/** A call's changes to its session's data, not yet stored: per key, a value or an unset. */
export class PendingChanges {
    /** Made on the first change. */
    #values: Map<string, unknown> | undefined;

    get size(): number {
        return this.#values === undefined ? 0 : this.#values.size;
    }

    has(key: string): boolean {
        return this.#values !== undefined && this.#values.has(key);
    }

    /** The pending value; undefined for an unset. */
    get(key: string): unknown {
        const value = this.#values === undefined ? undefined : this.#values.get(key);
        return value === UNSET ? undefined : value;
    }

    /** `undefined` unsets. */
    set(key: string, value: unknown): void {
        (this.#values ??= new Map()).set(key, value === undefined ? UNSET : value);
    }

    delete(key: string): void {
        this.#values?.delete(key);
    }

    clear(): void {
        this.#values = undefined;
    }

    /** True when some key gets a value: only then does a call without a session need one. */
    hasValues(): boolean {
        if (this.#values === undefined) return false;
        for (const value of this.#values.values()) if (value !== UNSET) return true;
        return false;
    }

    /** A copy of `data` with the changes applied. */
    applyTo(data: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
        const next: Record<string, unknown> = { ...data };
        if (this.#values === undefined) return next;
        for (const [key, value] of this.#values) {
            if (value === UNSET) delete next[key];
            else next[key] = value;
        }
        return next;
    }

    toStoreChanges(): SessionChanges {
        const changes: SessionChanges = { set: {}, unset: [] };
        if (this.#values === undefined) return changes;
        for (const [key, value] of this.#values) {
            if (value === UNSET) changes.unset.push(key);
            else changes.set[key] = value;
        }
        return changes;
    }
}

/** The changes of a call that made none: read only, shared by every such call. */
export const NO_CHANGES: PendingChanges = new PendingChanges();
