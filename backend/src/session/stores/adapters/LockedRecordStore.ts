import { KeyedQueue } from '../../../../../shared/keyedQueue';
import {
    applyChanges, decodeData, encodeData, encodeExpected, FieldChanges, metaOf, StoredMeta, storedRecord, successorMeta, summaryOf,
} from '../storedFormat';
import { applyActivity, isLive, pointToSuccessor, renewalChainAsync } from '../rules';
import {
    CompareAndSetResult, RenewResult, SessionActivity, SessionChanges, SessionRecord, SessionRenewal, SessionStore, SessionSummary,
} from '../SessionStore';

/** One session as an adapter keeps it: metadata plus each data field as JSON text. */
export interface StoredSession {
    meta: StoredMeta;
    fields: Map<string, string>;
}

/**
 * The SessionStore contract over a storage that offers no conditional write: every operation on a
 * session is check-then-act (read, check liveness or the expected value, write), serialized per
 * session by an in-process lock. Subclasses only move StoredSessions in and out of the storage.
 * The rules (liveness, activity, renewal) are MemoryStore's, from the same functions (`../rules`).
 *
 * What this guarantees, and what it cannot: within one server process, parallel per-key updates,
 * compare-and-set and "no resurrection after destroy" hold exactly as in MemoryStore. Across
 * several processes sharing the storage, nothing makes the read and the write one step, so two
 * processes can still overwrite each other or write into a session another one just destroyed.
 * Use RedisStore or MongoStore when several servers share sessions.
 */
export abstract class LockedRecordStore implements SessionStore {
    /** Session keys and user index names (see `indexLock`) share one queue: they never collide. */
    readonly #queue = new KeyedQueue<string>();

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
        return storedRecord(session.meta, decodeData(session.fields));
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
            await this.#writeWithActivity(key, session, activity, applyChanges(session.fields, changes));
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

    async renew(key: string, successorKey: string, { activity, changes, pointerExpiresAt }: SessionRenewal): Promise<RenewResult> {
        return this.#locked(key, async () => {
            const session = await this.#readLive(key, activity.now);
            if (!session) return { outcome: 'missing' };
            if (session.meta.successorKey !== undefined) return { outcome: 'superseded', successorKey: session.meta.successorKey };
            const successor: StoredSession = { meta: successorMeta(session.meta, activity.now), fields: new Map(session.fields) };
            applyChanges(successor.fields, changes);
            await this.#locked(successorKey, async () => {
                await this.writeSession(successorKey, successor);
                await this.#reindex(successorKey, undefined, successor.meta.userId);
                await this.#writeWithActivity(successorKey, successor, activity, { set: [], unset: [] });
            });
            pointToSuccessor(session.meta, successorKey, activity.now, pointerExpiresAt);
            await this.writeSession(key, session, { set: [], unset: [] });
            return { outcome: 'renewed' };
        });
    }

    /** Removes the session and the successors a renewed one points to. */
    async destroy(key: string): Promise<void> {
        await renewalChainAsync(key, current => this.#locked(current, async () => {
            const session = await this.readSession(current);
            await this.removeSession(current);
            await this.#reindex(current, session?.meta.userId, undefined);
            return session?.meta.successorKey;
        }));
    }

    async listByUser(userId: string, now: number): Promise<SessionSummary[]> {
        const summaries: SessionSummary[] = [];
        for (const key of await this.listIndex(userId)) {
            const session = await this.readSession(key);
            if (session?.meta.userId === userId && session.meta.successorKey === undefined && isLive(session.meta, now)) {
                summaries.push(summaryOf(key, session.meta));
            }
        }
        return summaries;
    }

    async destroyByUser(userId: string, exceptKey?: string): Promise<string[]> {
        const kept = new Set(await renewalChainAsync(exceptKey, async key => (await this.readSession(key))?.meta.successorKey));
        const destroyed: string[] = [];
        const dropped: string[] = [];
        for (const key of await this.listIndex(userId)) {
            if (kept.has(key)) continue;
            await this.#locked(key, async () => {
                const session = await this.readSession(key);
                const successorKey = session?.meta.successorKey;
                if (successorKey !== undefined && kept.has(successorKey)) return;
                if (session?.meta.userId === userId) {
                    await this.removeSession(key);
                    if (session.meta.successorKey === undefined) destroyed.push(key);
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
        const previousUserId = applyActivity(session.meta, activity);
        await this.writeSession(key, session, changes);
        await this.#reindex(key, previousUserId, session.meta.userId);
    }

    async #reindex(key: string, from: string | undefined, to: string | undefined): Promise<void> {
        if (from === to) return;
        if (from !== undefined) await this.#locked(indexLock(from), () => this.removeFromIndex(from, [key]));
        if (to !== undefined) await this.#locked(indexLock(to), () => this.addToIndex(to, key));
    }

    #locked<T>(name: string, task: () => Promise<T>): Promise<T> {
        return this.#queue.run(name, task);
    }
}

/** Lock names of user indexes cannot collide with session keys (base64url digests have no ':'). */
function indexLock(userId: string): string {
    return `user:${userId}`;
}
