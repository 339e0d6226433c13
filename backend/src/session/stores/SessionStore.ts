/**
 * The contract every session store implements; one suite (test/stores) runs it against all of them.
 *
 * Stores never see a session id: the plugin passes `key`, the SHA-256 of the id, so a leaked
 * database holds no live credential. Stores never see a call, a connection or a request either.
 * Times are milliseconds since the epoch. Every method is async and rejects on I/O failure.
 */

/** What a storage adapted by this library may return: a value, or a promise of it. */
export type MaybePromise<T> = T | Promise<T>;

/** Format version written with every record, so a later release can read what this one wrote. */
export const SESSION_RECORD_VERSION = 1;

export interface SessionTimes {
    createdAt: number;
    lastSeenAt: number;
    /** Sliding expiry: `lastSeenAt` + the idle timeout. */
    idleExpiresAt: number;
    /** Fixed at creation: `createdAt` + the absolute timeout. */
    absoluteExpiresAt: number;
}

export interface SessionRecord extends SessionTimes {
    v: typeof SESSION_RECORD_VERSION;
    data: Record<string, unknown>;
    /** Indexed, for listing and revoking a user's sessions. */
    userId?: string;
    /** What the client said it is ("Chrome on Linux"), for a devices page. */
    label?: string;
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
}

export type CompareAndSetResult = 'ok' | 'conflict' | 'missing';

export interface SessionStore {
    /** The live record, or undefined when it is absent or expired at `now` (either timeout). */
    load(key: string, now: number): Promise<SessionRecord | undefined>;

    /** Writes a new record. Keys come from 256 random bits, so a collision is not handled. */
    create(key: string, record: SessionRecord): Promise<void>;

    /**
     * Applies per-key changes to a live record. Returns false, writing nothing, when the record is
     * absent or expired: a slow call can never bring a destroyed session back.
     */
    update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean>;

    /**
     * Atomically sets `field` to `next` if it still holds `expected` (as `load` returned it;
     * undefined means absent). `next` undefined removes the field.
     */
    compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult>;

    /** Records activity on a live record; false when it is absent or expired. */
    touch(key: string, activity: SessionActivity): Promise<boolean>;

    /** Removes the record; a no-op when it is absent. */
    destroy(key: string): Promise<void>;

    /** The live sessions indexed under `userId`. */
    listByUser(userId: string, now: number): Promise<SessionSummary[]>;

    /** Destroys every session indexed under `userId` except `exceptKey`; returns the keys destroyed. */
    destroyByUser(userId: string, exceptKey?: string): Promise<string[]>;

    /** Releases connections the store opened itself. */
    close?(): Promise<void>;

    /** Operations never wait on I/O, so the plugin runs them without a timeout guard (MemoryStore). */
    readonly inProcess?: boolean;
}

/** The methods `enableSession` checks for at registration. */
export const SESSION_STORE_METHODS = [
    'load', 'create', 'update', 'compareAndSet', 'touch', 'destroy', 'listByUser', 'destroyByUser',
] as const satisfies readonly (keyof SessionStore)[];

export function isLive(times: Pick<SessionTimes, 'idleExpiresAt' | 'absoluteExpiresAt'>, now: number): boolean {
    return times.idleExpiresAt > now && times.absoluteExpiresAt > now;
}
