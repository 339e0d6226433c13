import { RevocationChannel, RevocationChannelStore, revocationChannelOf } from './RevocationChannel';
import { EvictionListener, EvictionSource, isEvictionSource } from './evictions';
import { SESSION_STORE_METHODS, SessionStore } from './SessionStore';

export type StoreOperation = typeof SESSION_STORE_METHODS[number];

/**
 * A store that passes every operation to `inner` through `around`: the one way this package wraps
 * stores (counting, guarding, MongoStore keeping its connection), so a wrapper states only what it adds.
 */
export abstract class StoreWrapper implements SessionStore, EvictionSource, RevocationChannelStore {
    protected readonly inner: SessionStore;

    constructor(inner: SessionStore) {
        this.inner = inner;
    }

    /** Runs one operation of the inner store; `run` starts it. */
    protected abstract around<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T>;

    load: SessionStore['load'] = (...args) => this.around('load', () => this.inner.load(...args));
    create: SessionStore['create'] = (...args) => this.around('create', () => this.inner.create(...args));
    update: SessionStore['update'] = (...args) => this.around('update', () => this.inner.update(...args));
    compareAndSet: SessionStore['compareAndSet'] = (...args) => this.around('compareAndSet', () => this.inner.compareAndSet(...args));
    touch: SessionStore['touch'] = (...args) => this.around('touch', () => this.inner.touch(...args));
    renew: SessionStore['renew'] = (...args) => this.around('renew', () => this.inner.renew(...args));
    destroy: SessionStore['destroy'] = (...args) => this.around('destroy', () => this.inner.destroy(...args));
    listByUser: SessionStore['listByUser'] = (...args) => this.around('listByUser', () => this.inner.listByUser(...args));
    destroyByUser: SessionStore['destroyByUser'] = (...args) => this.around('destroyByUser', () => this.inner.destroyByUser(...args));

    get placesByUser(): boolean | undefined {
        return this.inner.placesByUser;
    }

    /** The inner store's revocation channel, if it has one: opening it is no store operation. */
    openRevocationChannel(): RevocationChannel | undefined {
        return revocationChannelOf(this.inner);
    }

    /** The inner store's evictions, when it has any: wrapping must not hide them from the audit. */
    onEvict(listener: EvictionListener): () => void {
        return isEvictionSource(this.inner) ? this.inner.onEvict(listener) : () => undefined;
    }

    async close(): Promise<void> {
        await this.inner.close?.();
    }
}
