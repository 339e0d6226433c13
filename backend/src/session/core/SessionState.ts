import { SessionRecord } from '../stores/SessionStore';

/**
 * Where one call's session is. Each state carries only the fields valid in it; `save()` moves
 * between them through `planSave` (persistence.ts), loading and the handler's own transitions
 * through `CallSession`. Drawn in
 * docs/design.md.
 */
export type SessionState = Unread | Loaded | Followed | Fresh | Gone;

/** The request carried a validly signed id; the store has not been asked about it yet. */
export interface Unread {
    readonly kind: 'unread';
    readonly id: string;
    /** Signed with an older secret: re-sent signed with the current one once found live. */
    readonly resign: boolean;
    /** The load in progress, so concurrent reads of one call ask the store once. */
    readonly loading?: Promise<void>;
    /** The id's store key, when the call already knows it (from the verified cookie). */
    readonly storeKey?: string;
}

/** Found live in the store under the request's id (or made live by this call). */
export interface Loaded {
    readonly kind: 'loaded';
    readonly id: string;
    /** The id's store key, where this call reads and writes: kept, so that no step hashes the id again. */
    readonly storeKey: string;
    readonly record: SessionRecord;
    readonly resign: boolean;
}

/**
 * The request's id was renewed by another call: its record points to `storeKey`, where this call
 * reads and writes. Never renewed again and its id never re-sent: this call does not know the new
 * id, the client gets it from the call that renewed.
 */
export interface Followed {
    readonly kind: 'followed';
    readonly id: string;
    readonly storeKey: string;
    readonly record: SessionRecord;
}

/** Made in this call (a first write, or regenerate), stored by save(). */
export interface Fresh {
    readonly kind: 'new';
    readonly id: string;
    readonly record: SessionRecord;
    /** Announced to the audit hook once stored. */
    readonly origin: SessionOrigin;
}

/** No session: none was sent, it was not found, or it ended in this call. A write starts a new one. */
export interface Gone {
    readonly kind: 'gone';
}

export interface SessionOrigin {
    type: 'created' | 'regenerated';
    /** The store key of the session a regenerate replaced. */
    previousStoreKey?: string;
}

export const GONE: Gone = Object.freeze({ kind: 'gone' });

// The states every read makes are class instances, not object literals: V8 tenures a literal's
// objects straight into the old generation once enough of them outlive a young collection
// (allocation-site pretenuring), and a per-call state then costs an old-space allocation and a
// share of every major collection. `new` has no allocation site.

class UnreadState implements Unread {
    readonly kind = 'unread';
    readonly id: string;
    readonly resign: boolean;
    readonly loading: Promise<void> | undefined;
    readonly storeKey: string | undefined;

    constructor(id: string, resign: boolean, loading: Promise<void> | undefined, storeKey: string | undefined) {
        this.id = id;
        this.resign = resign;
        this.loading = loading;
        this.storeKey = storeKey;
    }
}

class LoadedState implements Loaded {
    readonly kind = 'loaded';
    readonly id: string;
    readonly storeKey: string;
    readonly record: SessionRecord;
    readonly resign: boolean;

    constructor(id: string, storeKey: string, record: SessionRecord, resign: boolean) {
        this.id = id;
        this.storeKey = storeKey;
        this.record = record;
        this.resign = resign;
    }
}

/** An id not read yet; `loading` while the store answers; `storeKey` the id's, when known. */
export function unread(id: string, resign: boolean, loading?: Promise<void>, storeKey?: string): Unread {
    return new UnreadState(id, resign, loading, storeKey);
}

export function loaded(id: string, storeKey: string, record: SessionRecord, resign: boolean): Loaded {
    return new LoadedState(id, storeKey, record, resign);
}

/** The states whose session is in the store. */
export type Stored = Loaded | Followed;

export function isStored(state: SessionState): state is Stored {
    return state.kind === 'loaded' || state.kind === 'followed';
}

/** The record this call sees, if it has read or made one. */
export function recordOf(state: SessionState): SessionRecord | undefined {
    return state.kind === 'loaded' || state.kind === 'followed' || state.kind === 'new' ? state.record : undefined;
}
