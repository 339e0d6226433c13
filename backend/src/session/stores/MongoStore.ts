import { Collection, Filter, MongoClient, UpdateFilter } from 'mongodb';
import { encodeExpected, summaryOf } from './storedFormat';
import { dataUpdate, documentOf, escapeField, live, liveAt, metaOfDocument, recordOfDocument, SessionDocument, withActivity } from './mongoDocuments';
import { renewalChainAsync } from './rules';
import { withDefaults } from '../plugin/withDefaults';
import { MongoRevocationChannel } from './MongoRevocationChannel';
import { MongoConnection } from './mongoConnection';
import { StoreOperation, StoreWrapper } from './StoreWrapper';
import { RevocationChannel, RevocationChannelStore } from './RevocationChannel';
import {
    CompareAndSetResult, RenewResult, SessionActivity, SessionChanges, SessionRecord, SessionRenewal, SessionStore, SessionSummary,
} from './SessionStore';

export interface MongoStoreOptions {
    /** Server to connect to when no client is given. @defaultValue 'mongodb://127.0.0.1:27017' */
    uri: string;
    /**
     * A MongoClient of the app's own (mongodb 6 or 7); `close()` leaves it open. It need not be
     * connected: the store connects it, and keeps trying while MongoDB does not answer.
     */
    client?: MongoClient;
    /** @defaultValue the database named in the URI, else 'test' (the driver's default) */
    dbName?: string;
    /** @defaultValue 'sessions' */
    collectionName: string;
    /** How long the client it creates looks for a server before an operation rejects. @defaultValue 2000 */
    serverSelectionTimeoutMs: number;
}

export const defaultMongoStoreOptions: Readonly<Pick<MongoStoreOptions, 'uri' | 'collectionName' | 'serverSelectionTimeoutMs'>> = Object.freeze({
    uri: 'mongodb://127.0.0.1:27017',
    collectionName: 'sessions',
    serverSelectionTimeoutMs: 2000,
});

/** One session document. The two expiry times are Dates so TTL indexes can delete expired sessions. */
/**
 * Sessions in MongoDB, on the official `mongodb` driver: one document per session, `_id` = the
 * session key (the plugin's SHA-256 of the id).
 *
 * - Data lives in the sub-document `data`, written per key with `$set` / `$unset` on
 *   `data.<field>`, never by replacing the document, so parallel calls writing different keys all
 *   keep theirs.
 * - Field names are escaped, since `.` would be read as a path and a leading `$` as an operator:
 *   `%` → `%25`, `.` → `%2E`, a leading `$` → `%24`, and the empty name → `%`. Reads undo it.
 * - Values are stored as JSON text, as in every other store: compare-and-set then compares exact
 *   text (`{'data.f': expectedJson}`), which BSON equality of sub-documents (sensitive to key
 *   order and number types) would not guarantee, and values round-trip as JSON does everywhere.
 * - Every update filters on liveness at `activity.now` (`idleExpiresAt` and `absoluteExpiresAt`
 *   both `> now`) and never upserts: a destroyed or expired session is never written again.
 *   `load` filters the same way, so an expired session is gone at once even though the TTL
 *   monitor deletes it only within about a minute.
 * - Renewal has one winner without a transaction: the winner claims the old document (a
 *   conditional update that sets `successorKey` on a live, not yet renewed document), then inserts
 *   the successor, then checks that the claimed document still exists; if a revocation deleted it
 *   meanwhile, the successor is deleted again and the renewal reports `missing`. The claimed
 *   document keeps its `userId`, so revoking the user deletes it whichever step it is at.
 * - With an anonymous idle timeout, a write that does not name the user sets the user's idle
 *   expiry and then, in a second update conditional on `userId` being absent, the anonymous one.
 * - Indexes (TTL on both expiry times with `expireAfterSeconds: 0`, and `userId`) are created once
 *   per store, before its first operation; `createIndexes` is idempotent, so servers starting
 *   together are safe.
 * - Failures: while MongoDB does not answer, from start-up on, the store keeps connecting in the
 *   background (back-off up to 1 s, stopped by `close()`) and every operation rejects at once with
 *   a MongoStoreError naming the store, the hosts and what to check (the plugin answers
 *   SESSION_STORE_UNAVAILABLE); it serves as soon as MongoDB answers. The driver's own errors never
 *   come out raw: each is the `cause` of a MongoStoreError.
 * @example
 * ```ts
 * const store = new MongoStore({ uri: process.env.MONGODB_URI, dbName: 'app' });
 * enableSession(server, { secrets, store });
 * ```
 */
export class MongoStore extends StoreWrapper {
    readonly #connection: MongoConnection;

    constructor(options: Partial<MongoStoreOptions> = {}) {
        const { uri, client, dbName, collectionName, serverSelectionTimeoutMs } = withDefaults(defaultMongoStoreOptions, options);
        // A dead server fails each connection attempt after serverSelectionTimeoutMs.
        const mongo = client ?? new MongoClient(uri, { serverSelectionTimeoutMS: serverSelectionTimeoutMs });
        const connection = new MongoConnection(mongo, { ownsClient: !client });
        super(new MongoSessions(mongo, mongo.db(dbName).collection<SessionDocument>(collectionName), connection));
        this.#connection = connection;
    }

    protected override around<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
        return this.#connection.run(operation, run);
    }
}

/** The store's operations on the collection; MongoStore runs each once connected, with clear errors. */
class MongoSessions implements SessionStore, RevocationChannelStore {
    readonly #client: MongoClient;
    readonly #channels = new Set<RevocationChannel>();
    readonly #connection: MongoConnection;
    readonly #collection: Collection<SessionDocument>;
    #indexes?: Promise<void>;

    constructor(client: MongoClient, collection: Collection<SessionDocument>, connection: MongoConnection) {
        this.#client = client;
        this.#collection = collection;
        this.#connection = connection;
    }

    async load(key: string, now: number): Promise<SessionRecord | undefined> {
        const doc = await (await this.#sessions()).findOne(live(key, now));
        return doc ? recordOfDocument(doc) : undefined;
    }

    async create(key: string, record: SessionRecord): Promise<void> {
        const doc = documentOf(key, record);
        // Keys are fresh random digests: replacing covers only a retried create of the same session.
        await (await this.#sessions()).replaceOne({ _id: key }, doc, { upsert: true });
    }

    async update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean> {
        const { $set, $unset } = dataUpdate(changes);
        return this.#writeLive(key, withActivity($set, $unset, activity), activity);
    }

    async compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult> {
        const path = `data.${escapeField(field)}`;
        const expectedJson = encodeExpected(expected);
        const nextJson = encodeExpected(next);
        const filter: Filter<SessionDocument> = { ...live(key, activity.now), [path]: expectedJson === undefined ? { $exists: false } : expectedJson };
        const update = nextJson === undefined ? withActivity({}, { [path]: '' }, activity) : withActivity({ [path]: nextJson }, {}, activity);
        const sessions = await this.#sessions();
        if ((await sessions.updateOne(filter, update)).matchedCount === 1) {
            await this.#anonymousExpiry(key, activity);
            return 'ok';
        }
        // Not matched: either the value differs or the session is gone; the caller retries or starts over.
        return await sessions.countDocuments(live(key, activity.now), { limit: 1 }) === 1 ? 'conflict' : 'missing';
    }

    async touch(key: string, activity: SessionActivity): Promise<boolean> {
        return this.#writeLive(key, withActivity({}, {}, activity), activity);
    }

    async renew(key: string, successorKey: string, { activity, changes, pointerExpiresAt }: SessionRenewal): Promise<RenewResult> {
        const sessions = await this.#sessions();
        // pointToSuccessor of ./rules, claimed only by the first renewal.
        const claim = { $set: { successorKey, lastSeenAt: activity.now, idleExpiresAt: new Date(pointerExpiresAt) } };
        const old = await sessions.findOneAndUpdate({ ...live(key, activity.now), successorKey: { $exists: false } }, claim, { returnDocument: 'before' });
        if (!old) {
            const current = await sessions.findOne(live(key, activity.now), { projection: { successorKey: 1 } });
            return current?.successorKey === undefined ? { outcome: 'missing' } : { outcome: 'superseded', successorKey: current.successorKey };
        }
        const { successorKey: _none, ...copied } = old;
        await sessions.insertOne({ ...copied, _id: successorKey, idIssuedAt: activity.now });
        const { $set, $unset } = dataUpdate(changes);
        await this.#writeLive(successorKey, withActivity($set, $unset, activity), activity);
        // A revocation between the claim and the insert deleted the claimed document: undo the successor.
        if (await sessions.countDocuments({ _id: key }, { limit: 1 }) === 0) {
            await sessions.deleteOne({ _id: successorKey });
            return { outcome: 'missing' };
        }
        return { outcome: 'renewed' };
    }

    async destroy(key: string): Promise<void> {
        const sessions = await this.#sessions();
        await renewalChainAsync(key, async next => (await sessions.findOneAndDelete({ _id: next }, { projection: { successorKey: 1 } }))?.successorKey);
    }

    async listByUser(userId: string, now: number): Promise<SessionSummary[]> {
        const docs = await (await this.#sessions()).find({ userId, successorKey: { $exists: false }, ...liveAt(now) }, { projection: { data: 0 } }).toArray();
        return docs.map(doc => summaryOf(doc._id, metaOfDocument(doc)));
    }

    async destroyByUser(userId: string, exceptKey?: string): Promise<string[]> {
        const sessions = await this.#sessions();
        const kept = await renewalChainAsync(exceptKey, async key => (await sessions.findOne({ _id: key }, { projection: { successorKey: 1 } }))?.successorKey);
        const filter: Filter<SessionDocument> = { userId, _id: { $nin: kept }, successorKey: { $nin: kept } };
        const docs = await sessions.find(filter, { projection: { _id: 1, successorKey: 1 } }).toArray();
        // One by one, still requiring the user, so a session that moved to another user meanwhile is kept.
        const deleted = await Promise.all(docs.map(async ({ _id }) => (await sessions.deleteOne({ _id, userId })).deletedCount === 1));
        return docs.filter((doc, i) => deleted[i] && doc.successorKey === undefined).map(doc => doc._id);
    }

    /**
     * Revocations to every server on this database, through the capped collection
     * `<collectionName>_revocations`: change streams, or a tailable cursor on a standalone server.
     */
    openRevocationChannel(): RevocationChannel {
        const db = this.#client.db(this.#collection.dbName);
        const channel = new MongoRevocationChannel(db, `${this.#collection.collectionName}_revocations`, () => this.#connection.ready());
        this.#channels.add(channel);
        return channel;
    }

    /** Closes the revocation channels, stops reconnecting, and closes the client this store created; a client passed in stays open. */
    async close(): Promise<void> {
        await Promise.all([...this.#channels].map(channel => channel.close()));
        this.#channels.clear();
        await this.#connection.close();
    }

    /** A write to a live document; false when it is absent or expired. */
    async #writeLive(key: string, update: UpdateFilter<SessionDocument>, activity: SessionActivity): Promise<boolean> {
        const result = await (await this.#sessions()).updateOne(live(key, activity.now), update);
        if (result.matchedCount !== 1) return false;
        await this.#anonymousExpiry(key, activity);
        return true;
    }

    /** The shorter idle expiry of a session without a user, once a write that did not name the user is done. */
    async #anonymousExpiry(key: string, activity: SessionActivity): Promise<void> {
        if (activity.anonymousIdleExpiresAt === undefined || activity.userId !== undefined) return;
        await (await this.#sessions()).updateOne({ _id: key, userId: { $exists: false } }, { $set: { idleExpiresAt: new Date(activity.anonymousIdleExpiresAt) } });
    }

    /** The collection, once its indexes exist; a failed attempt is retried by the next operation. */
    async #sessions(): Promise<Collection<SessionDocument>> {
        this.#indexes ??= this.#createIndexes().catch(e => {
            this.#indexes = undefined;
            throw e;
        });
        await this.#indexes;
        return this.#collection;
    }

    async #createIndexes(): Promise<void> {
        await this.#collection.createIndexes([
            { key: { idleExpiresAt: 1 }, name: 'idleExpiresAt_ttl', expireAfterSeconds: 0 },
            { key: { absoluteExpiresAt: 1 }, name: 'absoluteExpiresAt_ttl', expireAfterSeconds: 0 },
            { key: { userId: 1 }, name: 'userId', sparse: true },
        ]);
    }
}
