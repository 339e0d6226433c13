/** A live session a store dropped on its own, to stay within its bounds. */
export interface EvictedSession {
    key: string;
    /** The user it was indexed under; absent for an anonymous session. */
    userId?: string;
}

export type EvictionListener = (evicted: EvictedSession) => void;

/**
 * A store that may drop live sessions to make room (MemoryStore at `maxSessions`) and says so:
 * the plugin turns each one into an `evicted` audit event. Stores still never see a call.
 */
export interface EvictionSource {
    /** Calls `listener` for every eviction from now on; returns what stops it. */
    onEvict(listener: EvictionListener): () => void;
}

export function isEvictionSource(store: object): store is EvictionSource {
    return typeof (store as Partial<EvictionSource>).onEvict === 'function';
}
