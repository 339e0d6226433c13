import type { Collection, Db, ObjectId } from 'mongodb';
import { setTimeout as sleep } from 'timers/promises';
import {
    decodeRevocationEvent, encodeRevocationEvent, RevocationChannel, RevocationEvent, RevocationListener,
} from './RevocationChannel';

interface RevocationDocument {
    _id?: ObjectId;
    at: Date;
    message: string;
}

/** Events are tiny and read within a second: a small capped collection keeps the latest thousands. */
const CAPPED_BYTES = 1024 * 1024;
const MAX_RETRY_DELAY_MS = 1000;
/** Code of "The $changeStream stage is only supported on replica sets" (a standalone server). */
const CHANGE_STREAMS_UNSUPPORTED = 40573;
const NAMESPACE_EXISTS = 48;

/**
 * Revocations over MongoDB, on a capped collection beside the sessions: publishing inserts one
 * small document; subscribing watches inserts with a change stream (replica sets and sharded
 * clusters, what production runs). A standalone server has no change streams: the channel then
 * tails the capped collection with a tailable cursor, which standalone servers support.
 *
 * Verified by `MONGODB_URI=… npm run test:mongo` (change stream on a replica set, tailable cursor on a
 * standalone server); this project's CI has no MongoDB server.
 */
export class MongoRevocationChannel implements RevocationChannel {
    readonly #db: Db;
    readonly #name: string;
    readonly #ready: () => Promise<void>;
    #prepared?: Promise<Collection<RevocationDocument>>;
    #closing?: () => Promise<void>;
    #listening = false;
    #closed = false;

    /** `ready` resolves once the store's client is connected (MongoStore connects it; the driver gives up after a failed first connection). */
    constructor(db: Db, collectionName: string, ready: () => Promise<void>) {
        this.#db = db;
        this.#name = collectionName;
        this.#ready = ready;
    }

    async publish(event: RevocationEvent, origin: string): Promise<void> {
        await this.#ready();
        await (await this.#collection()).insertOne({ at: new Date(), message: encodeRevocationEvent(event, origin) });
    }

    subscribe(listener: RevocationListener): void {
        if (this.#listening) throw new Error('tsrpc-session: a revocation channel has one subscriber');
        this.#listening = true;
        void this.#listen(listener);
    }

    async close(): Promise<void> {
        this.#closed = true;
        await this.#closing?.().catch(() => {});
    }

    async #listen(listener: RevocationListener): Promise<void> {
        let changeStreams = true;
        for (let failures = 0; !this.#closed; failures++) {
            let reason: string;
            try {
                await this.#ready();
                const collection = await this.#collection();
                if (changeStreams) await this.#watch(collection, listener, () => { failures = -1; });
                else await this.#tail(collection, listener, () => { failures = -1; });
                reason = 'the stream ended';
            } catch (e) {
                if (changeStreams && codeOf(e) === CHANGE_STREAMS_UNSUPPORTED) {
                    // A standalone server: tail the capped collection instead, from now on.
                    changeStreams = false;
                    failures = -1;
                    continue;
                }
                reason = `MongoStore revocation channel on ${this.#name}: ${(e as Error)?.message ?? String(e)}`;
            }
            if (this.#closed) break;
            listener.down(reason);
            await sleep(Math.min(50 * 2 ** Math.max(failures, 0), MAX_RETRY_DELAY_MS), undefined, { ref: false });
        }
    }

    /** Delivers inserts seen by a change stream until it fails. */
    async #watch(collection: Collection<RevocationDocument>, listener: RevocationListener, opened: () => void): Promise<void> {
        const stream = collection.watch<RevocationDocument>([{ $match: { operationType: 'insert' } }]);
        this.#closing = () => stream.close();
        try {
            // Runs the aggregate now, so an unsupported deployment fails here, before we say "up".
            const first = await stream.tryNext();
            opened();
            listener.up();
            if (first?.operationType === 'insert') this.#deliver(first.fullDocument.message, listener);
            for await (const change of stream) {
                if (change.operationType === 'insert') this.#deliver(change.fullDocument.message, listener);
            }
        } finally {
            await stream.close().catch(() => {});
        }
    }

    /** Delivers documents inserted after now, read with a tailable cursor on the capped collection. */
    async #tail(collection: Collection<RevocationDocument>, listener: RevocationListener, opened: () => void): Promise<void> {
        // A tailable cursor whose query matches nothing dies at once: start at the newest document (never delivered again).
        let newest = (await collection.find({}, { sort: { $natural: -1 }, limit: 1 }).toArray())[0]?._id;
        if (!newest) newest = (await collection.insertOne({ at: new Date(), message: '' })).insertedId;
        const cursor = collection.find({ _id: { $gte: newest } }, { tailable: true, awaitData: true });
        this.#closing = () => cursor.close();
        try {
            opened();
            listener.up();
            for await (const doc of cursor) {
                if (!doc._id!.equals(newest)) this.#deliver(doc.message, listener);
            }
        } finally {
            await cursor.close().catch(() => {});
        }
    }

    #deliver(message: string, listener: RevocationListener): void {
        const decoded = decodeRevocationEvent(message);
        if (decoded) listener.event(decoded.event, decoded.origin);
    }

    /** The capped collection, created once (idempotently: another server may have created it). */
    #collection(): Promise<Collection<RevocationDocument>> {
        this.#prepared ??= this.#db.createCollection<RevocationDocument>(this.#name, { capped: true, size: CAPPED_BYTES })
            .catch((e: unknown) => {
                if (codeOf(e) === NAMESPACE_EXISTS) return this.#db.collection<RevocationDocument>(this.#name);
                this.#prepared = undefined;
                throw e;
            });
        return this.#prepared;
    }
}

/** The server's error code, read by duck typing: a client of mongodb 6 throws other classes than this package's mongodb 7. */
function codeOf(e: unknown): unknown {
    return (e as { code?: unknown })?.code;
}
