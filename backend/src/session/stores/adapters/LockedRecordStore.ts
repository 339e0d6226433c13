import { decodeData, encodeChanges, encodeData, encodeExpected, metaOf, recordOf, StoredMeta, summaryOf } from '../shared';
import {
    CompareAndSetResult, isLive, SessionActivity, SessionChanges, SessionRecord, SessionStore, SessionSummary,
} from '../SessionStore';

/** One session as an adapter keeps it: metadata plus each data field as JSON text. */
export interface StoredSession {
    meta: StoredMeta;
    fields: Map<string, string>;
}

/** What changed in a write: data fields set (as JSON text) and unset; the metadata is always written. */
export interface FieldChanges {
    set: [string, string][];
    unset: string[];
}

/**
 * The SessionStore contract over a storage that offers no conditional write: every operation on a
 * session is check-then-act (read, check liveness or the expected value, write), serialized per
 * session by an in-process lock. Subclasses only move StoredSessions in and out of the storage.
 *
 * What this guarantees, and what it cannot: within one server process, parallel per-key updates,
 * compare-and-set and "no resurrection after destroy" hold exactly as in MemoryStore. Across
 * several processes sharing the storage, nothing makes the read and the write one step, so two
 * processes can still overwrite each other or write into a session another one just destroyed.
 * Use RedisStore or MongoStore when several servers share sessions.
 */
export abstract class LockedRecordStore implements SessionStore {
    readonly #locks = new Map<string, Promise<unknown>>();

    protected abstract readSession(key: string): Promise<StoredSession | undefined>;
    /** Writes the session; `changes` lists the data fields changed, or is undefined for a whole new session. */
    protected abstract writeSession(key: string, session: StoredSession, changes?: FieldChanges): Promise<void>;
    protected abstract removeSession(key: string): Promise<void>;
    protected abstract listIndex(userId: string): Promise<string[]>;
    protected abstract addToIndex(userId: string, key: string): Promise<void>;
    protected abstract removeFromIndex(userId: string, keys: string[]): Promise<void>;

    async load(key: string, now: number): Promise<SessionRecord | undefined> {
        const session = await this.readSession(key);
        if (!session || !isLive(session.meta, now)) return undefined;
        return recordOf(session.meta, decodeData(session.fields));
    }

    async create(key: string, record: SessionRecord): Promise<void> {
        await this.#locked(key, async () => {
            const previous = await this.readSession(key);
            const session: StoredSession = { meta: metaOf(record), fields: new Map(encodeData(record.data)) };
            await this.writeSession(key, session);
            await this.#reindex(key, previous?.meta.userId, session.meta.userId);
        });
    }

    async update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean> {
        return this.#locked(key, async () => {
            const session = await this.#readLive(key, activity.now);
            if (!session) return false;
            const encoded = encodeChanges(changes);
            for (const [field, json] of encoded.set) session.fields.set(field, json);
            for (const field of encoded.unset) session.fields.delete(field);
            await this.#writeWithActivity(key, session, activity, encoded);
            return true;
        });
    }

    async compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult> {
        return this.#locked(key, async () => {
            const session = await this.#readLive(key, activity.now);
            if (!session) return 'missing';
            if (session.fields.get(field) !== encodeExpected(expected)) return 'conflict';
            const nextJson = encodeExpected(next);
            const changes: FieldChanges = nextJson === undefined ? { set: [], unset: [field] } : { set: [[field, nextJson]], unset: [] };
            if (nextJson === undefined) session.fields.delete(field);
            else session.fields.set(field, nextJson);
            await this.#writeWithActivity(key, session, activity, changes);
            return 'ok';
        });
    }

    async touch(key: string, activity: SessionActivity): Promise<boolean> {
        return this.#locked(key, async () => {
            const session = await this.#readLive(key, activity.now);
            if (!session) return false;
            await this.#writeWithActivity(key, session, activity, { set: [], unset: [] });
            return true;
        });
    }

    async destroy(key: string): Promise<void> {
        await this.#locked(key, async () => {
            const session = await this.readSession(key);
            await this.removeSession(key);
            await this.#reindex(key, session?.meta.userId, undefined);
        });
    }

    async listByUser(userId: string, now: number): Promise<SessionSummary[]> {
        const summaries: SessionSummary[] = [];
        for (const key of await this.listIndex(userId)) {
            const session = await this.readSession(key);
            if (session?.meta.userId === userId && isLive(session.meta, now)) summaries.push(summaryOf(key, session.meta));
        }
        return summaries;
    }

    async destroyByUser(userId: string, exceptKey?: string): Promise<string[]> {
        const destroyed: string[] = [];
        const dropped: string[] = [];
        for (const key of await this.listIndex(userId)) {
            if (key === exceptKey) continue;
            await this.#locked(key, async () => {
                const session = await this.readSession(key);
                if (session?.meta.userId === userId) {
                    await this.removeSession(key);
                    destroyed.push(key);
                }
                dropped.push(key);
            });
        }
        if (dropped.length > 0) await this.#locked(indexLock(userId), () => this.removeFromIndex(userId, dropped));
        return destroyed;
    }

    async #readLive(key: string, now: number): Promise<StoredSession | undefined> {
        const session = await this.readSession(key);
        return session && isLive(session.meta, now) ? session : undefined;
    }

    async #writeWithActivity(key: string, session: StoredSession, activity: SessionActivity, changes: FieldChanges): Promise<void> {
        const previousUserId = session.meta.userId;
        session.meta.lastSeenAt = activity.lastSeenAt;
        session.meta.idleExpiresAt = activity.idleExpiresAt;
        if (activity.userId === null) delete session.meta.userId;
        else if (activity.userId !== undefined) session.meta.userId = activity.userId;
        await this.writeSession(key, session, changes);
        await this.#reindex(key, previousUserId, session.meta.userId);
    }

    async #reindex(key: string, from: string | undefined, to: string | undefined): Promise<void> {
        if (from === to) return;
        if (from !== undefined) await this.#locked(indexLock(from), () => this.removeFromIndex(from, [key]));
        if (to !== undefined) await this.#locked(indexLock(to), () => this.addToIndex(to, key));
    }

    /** Runs `task` after every earlier task on the same name has settled. */
    async #locked<T>(name: string, task: () => Promise<T>): Promise<T> {
        const previous = this.#locks.get(name) ?? Promise.resolve();
        const run = previous.then(task, task);
        const settled = run.catch(() => {});
        this.#locks.set(name, settled);
        try {
            return await run;
        } finally {
            // The last task in line removes the entry, so the map holds only busy names.
            if (this.#locks.get(name) === settled) this.#locks.delete(name);
        }
    }
}

/** Lock names of user indexes cannot collide with session keys (hex digests). */
function indexLock(userId: string): string {
    return `user:${userId}`;
}
