/**
 * The contract every session store implements; one suite (test/stores) runs it against all of them.
 *
 * Stores never see a session id: the plugin passes `key`, the store key (SHA-256 of the id,
 * base64url), so a leaked database holds no live credential. In this contract `key` always means
 * that store key; the keys of session data are called fields. Stores never see a call, a connection or a request either.
 * Times are milliseconds since the epoch. Every method is async and rejects on I/O failure.
 */

/** What a storage adapted by this library may return: a value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Format version written with every record, so a later release can read what this one wrote.
 * Version 1 kept the plugin's renewal bookkeeping inside `data` (`__tsrpcSuccessor`,
 * `__tsrpcIdIssuedAt`); version 2 keeps it in `successorKey` and `idIssuedAt`. The plugin still
 * reads version 1 records (see `upgradeRecord`).
 */
export const SESSION_RECORD_VERSION = 2;

export interface SessionTimes {
    createdAt: number;
    lastSeenAt: number;
    /** Sliding expiry: `lastSeenAt` + the idle timeout. */
    idleExpiresAt: number;
    /** Fixed at creation: `createdAt` + the absolute timeout. */
    absoluteExpiresAt: number;
}

export interface SessionRecord extends SessionTimes {
    /** The format version the record was written in: SESSION_RECORD_VERSION, or older. */
    v: number;
    data: Record<string, unknown>;
    /** Indexed, for listing and revoking a user's sessions. */
    userId?: string;
    /** What the client said it is ("Chrome on Linux"), for a devices page. */
    label?: string;
    /** When the current id was issued (id renewal); absent means at `createdAt`. */
    idIssuedAt?: number;
    /** Set on a renewed id's record: the key of the record that replaced it (see `renew`). */
    successorKey?: string;
    /**
     * Passed to `create` only, never stored or returned: the record is a short-lived one-time marker
     * (a session ticket's), which a bounded store should evict after sessions without a user, so
     * an anonymous flood cannot make a pending ticket unredeemable.
     */
    marker?: true;
}

/** One of a user's sessions, without its data. */
export interface SessionSummary extends SessionTimes {
    key: string;
    label?: string;
}

/** Per-key changes: only these keys are written, so parallel writers of other keys keep theirs. */
export interface SessionChanges {
    set: Record<string, unknown>;
    unset: string[];
}

/** What every write also records; `now` decides whether the session is still live. */
export interface SessionActivity {
    now: number;
    lastSeenAt: number;
    idleExpiresAt: number;
    /** A string re-indexes the session under that user, `null` removes it from the index, absent leaves it. */
    userId?: string | null;
    /**
     * The idle expiry to record instead of `idleExpiresAt` when, after this write, the record has no
     * user (a shorter timeout for anonymous sessions). Absent: `idleExpiresAt` in either case.
     */
    anonymousIdleExpiresAt?: number;
}

export type CompareAndSetResult = 'ok' | 'conflict' | 'missing';

/** What `renew` needs besides the two keys. */
export interface SessionRenewal {
    /** Activity recorded on the successor; `activity.now` decides whether the old record is live. */
    activity: SessionActivity;
    /** Changes applied to the successor's copy of the data. */
    changes: SessionChanges;
    /** The old key keeps pointing to the successor until then, for calls already in flight. */
    pointerExpiresAt: number;
}

/**
 * `renewed`: this call's successor was created. `superseded`: another call renewed the record first;
 * `successorKey` is where the session now lives. `missing`: the record is absent, expired or revoked.
 */
export type RenewResult = { outcome: 'renewed' } | { outcome: 'superseded'; successorKey: string } | { outcome: 'missing' };

export interface SessionStore {
    /** The live record, or undefined when it is absent or expired at `now` (either timeout). */
    load(key: string, now: number): Promise<SessionRecord | undefined>;

    /**
     * Optional, for stores that can answer a read from this process's memory (an in-process store, a
     * near cache): what `load` would answer at this instant, given at once, with `null` for "no live
     * session". `undefined` means "not held here": the plugin then calls `load`. Most reads of a
     * session are served here with no promise in the call's path.
     */
    loadCached?(key: string, now: number): SessionRecord | null | undefined;

    /** Writes a new record. Keys come from 256 random bits, so a collision is not handled. */
    create(key: string, record: SessionRecord): Promise<void>;

    /**
     * Applies per-key changes to a live record. Returns false, writing nothing, when the record is
     * absent or expired: a slow call can never bring a destroyed session back.
     */
    update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean>;

    /**
     * Optional, for stores that hold sessions in this process's memory (sealed mode's table): what
     * `update` would do, done at once, its answer given without a promise. `undefined` means "not
     * done here" (nothing was written): the plugin then calls `update`. A write that needs no I/O
     * then costs no promise chain and no turn of the microtask queue per step.
     */
    updateNow?(key: string, changes: SessionChanges, activity: SessionActivity): boolean | undefined;

    /**
     * Atomically sets `field` to `next` if it still holds `expected` (as `load` returned it;
     * undefined means absent). `next` undefined removes the field.
     */
    compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult>;

    /** Records activity on a live record; false when it is absent or expired. */
    touch(key: string, activity: SessionActivity): Promise<boolean>;

    /**
     * Moves a live session to `successorKey`, atomically, with exactly one winner per record: the
     * successor gets the record's data with `changes` applied, its times, user and label,
     * `idIssuedAt` = `activity.now` and the activity; the old record keeps its user and becomes a
     * pointer (`successorKey` set, idle expiry `pointerExpiresAt`). A record already renewed answers
     * `superseded` with its successor and writes nothing; an absent or expired one answers `missing`
     * and creates nothing, so a revoked session is never brought back by a renewal in flight.
     */
    renew(key: string, successorKey: string, renewal: SessionRenewal): Promise<RenewResult>;

    /** Removes the record, and the successors a renewed record points to; a no-op when absent. */
    destroy(key: string): Promise<void>;

    /** The live sessions indexed under `userId`, renewed records (pointers) left out. */
    listByUser(userId: string, now: number): Promise<SessionSummary[]>;

    /**
     * Destroys every record indexed under `userId` (renewed ones included) except the session of
     * `exceptKey`: that record, the successors it was renewed into (a parallel call may have renewed
     * the caller's id meanwhile) and the renewed records pointing into them. Returns the keys of the
     * sessions destroyed, renewed records left out.
     */
    destroyByUser(userId: string, exceptKey?: string): Promise<string[]>;

    /** Releases connections the store opened itself. */
    close?(): Promise<void>;

    /**
     * True for a store that keeps each user's sessions together by the tag in their keys
     * (stores/sessionTags.ts; RedisStore on a cluster). The plugin then mints tagged ids, and gives
     * a session that gets a user the user's tag (a new id) before the store indexes it there.
     */
    readonly placesByUser?: boolean | undefined;
}

/** The methods `enableSession` checks for at registration. */
export const SESSION_STORE_METHODS = [
    'load', 'create', 'update', 'compareAndSet', 'touch', 'renew', 'destroy', 'listByUser', 'destroyByUser',
] as const satisfies readonly (keyof SessionStore)[];
