import {
    CompareAndSetResult, RenewResult, SessionActivity, SessionChanges, SessionRecord, SessionRenewal, SessionStore, SessionSummary,
} from './SessionStore';
import { applyActivity, isLive, pointToSuccessor, renewalChain } from './rules';
import { EvictionListener, EvictionSource } from './evictions';
import {
    applyChanges, decodeData, encodeData, encodeExpected, encodeValue, metaOf, StoredMeta, storedRecord, successorMeta, summaryOf,
} from './storedFormat';
import { withDefaults } from '../plugin/withDefaults';
import { LocalRevocationHub } from './LocalRevocationHub';
import { RevocationChannel, RevocationChannelStore } from './RevocationChannel';

export interface MemoryStoreOptions {
    /**
     * Most sessions kept. Past it, expired ones go first, then the least recently used session
     * without a user, then session tickets' one-time markers, and only when none is left a session
     * of the user holding the most (that user's least recently used): a flood of anonymous calls
     * cannot log users out, and one account logging in over and over evicts its own sessions before
     * anyone else's. Each live session dropped is an `evicted` audit event.
     * @defaultValue 10000
     */
    maxSessions: number;
}

/** How many of the oldest entries a full store checks for expired ones before evicting a live one. */
const EXPIRED_SCAN_LIMIT = 64;

export const defaultMemoryStoreOptions: Readonly<MemoryStoreOptions> = Object.freeze({ maxSessions: 10_000 });

interface MemoryEntry extends StoredMeta {
    /** Values kept as JSON: callers get copies, and compare-and-set compares exact text. */
    fields: Map<string, string>;
    /**
     * The record as last read, frozen, given to every read until the entry changes: a session's
     * calls mostly read it. Kept only when every value is a primitive, since a handler may change an
     * object it reads (that one gets a fresh copy on each read).
     */
    snapshot: SessionRecord | undefined;
}

/** The entry of a one-time marker (SessionRecord.marker), kept apart in eviction order. */
const MARKER = Symbol('marker');

/**
 * The embedded store, for development and single-process servers. Bounded, expires on access,
 * and runs no timer, so it never keeps a process alive.
 */
export class MemoryStore implements SessionStore, EvictionSource, RevocationChannelStore {
    readonly #revocations = new LocalRevocationHub();
    readonly #maxSessions: number;
    /** Map order is recency order: every access moves the entry to the end. */
    readonly #entries = new Map<string, MemoryEntry>();
    readonly #byUser = new Map<string, Set<string>>();
    /** Keys of sessions without a user, least recently used first: evicted before any user's session. */
    readonly #anonymous = new Set<string>();
    /** One-time markers, oldest first: evicted after sessions without a user, before users' sessions. */
    readonly #markers = new Set<string>();
    readonly #evictionListeners = new Set<EvictionListener>();
    /**
     * The key last moved to the recent end of `#entries` and `#anonymous`: a session's next call
     * that comes before any other's finds it there already, and skips the move (a `Map` delete and
     * set whose deleted slots make V8 rebuild the table every few calls).
     */
    #newest: string | undefined;

    constructor(options: Partial<MemoryStoreOptions> = {}) {
        const { maxSessions } = withDefaults(defaultMemoryStoreOptions, options);
        if (!Number.isInteger(maxSessions) || maxSessions < 1) {
            throw new RangeError(`tsrpc-session: MemoryStore maxSessions must be a positive integer, got ${maxSessions}`);
        }
        this.#maxSessions = maxSessions;
    }

    /** Servers of this process enabled on this same store close each other's sockets of ended sessions. */
    openRevocationChannel(): RevocationChannel {
        return this.#revocations.open();
    }

    onEvict(listener: EvictionListener): () => void {
        this.#evictionListeners.add(listener);
        return () => this.#evictionListeners.delete(listener);
    }

    /** Sessions held, expired ones not yet dropped included. */
    get size(): number {
        return this.#entries.size;
    }

    async load(key: string, now: number): Promise<SessionRecord | undefined> {
        return this.loadCached(key, now) ?? undefined;
    }

    /** Every session is held here: the answer is always known. */
    loadCached(key: string, now: number): SessionRecord | null {
        const entry = this.#live(key, now);
        if (!entry) return null;
        if (entry.snapshot) return entry.snapshot;
        const record = storedRecord(entry, decodeData(entry.fields));
        if (holdsOnlyPrimitives(record.data)) entry.snapshot = frozen(record);
        return record;
    }

    async create(key: string, record: SessionRecord): Promise<void> {
        const entry: MemoryEntry = { ...metaOf(record), fields: new Map(encodeData(record.data)), snapshot: undefined };
        if (record.marker) Object.assign(entry, { [MARKER]: true });
        this.#put(key, entry, record.createdAt);
    }

    async update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean> {
        return this.updateNow(key, changes, activity);
    }

    /** Every session is held here: an update is always done at once. */
    updateNow(key: string, changes: SessionChanges, activity: SessionActivity): boolean {
        const entry = this.#live(key, activity.now);
        if (!entry) return false;
        applyChanges(entry.fields, changes);
        this.#recordActivity(key, entry, activity);
        return true;
    }

    async compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult> {
        const entry = this.#live(key, activity.now);
        if (!entry) return 'missing';
        if (entry.fields.get(field) !== encodeExpected(expected)) return 'conflict';
        if (next === undefined) entry.fields.delete(field);
        else entry.fields.set(field, encodeValue(next));
        this.#recordActivity(key, entry, activity);
        return 'ok';
    }

    async touch(key: string, activity: SessionActivity): Promise<boolean> {
        const entry = this.#live(key, activity.now);
        if (!entry) return false;
        this.#recordActivity(key, entry, activity);
        return true;
    }

    async renew(key: string, successorKey: string, { activity, changes, pointerExpiresAt }: SessionRenewal): Promise<RenewResult> {
        const entry = this.#live(key, activity.now);
        if (!entry) return { outcome: 'missing' };
        if (entry.successorKey !== undefined) return { outcome: 'superseded', successorKey: entry.successorKey };
        const successor: MemoryEntry = { ...successorMeta(entry, activity.now), fields: new Map(entry.fields), snapshot: undefined };
        applyChanges(successor.fields, changes);
        this.#put(successorKey, successor, activity.now);
        this.#recordActivity(successorKey, successor, activity);
        pointToSuccessor(entry, successorKey, activity.now, pointerExpiresAt);
        entry.snapshot = undefined;
        return { outcome: 'renewed' };
    }

    async destroy(key: string): Promise<void> {
        renewalChain(key, next => this.#remove(next)?.successorKey);
    }

    async listByUser(userId: string, now: number): Promise<SessionSummary[]> {
        const summaries: SessionSummary[] = [];
        for (const key of [...(this.#byUser.get(userId) ?? [])]) {
            const entry = this.#live(key, now);
            if (entry && entry.successorKey === undefined) summaries.push(summaryOf(key, entry));
        }
        return summaries;
    }

    async destroyByUser(userId: string, exceptKey?: string): Promise<string[]> {
        const kept = new Set(renewalChain(exceptKey, key => this.#entries.get(key)?.successorKey));
        const pointsIntoKept = (key: string) => {
            const successorKey = this.#entries.get(key)?.successorKey;
            return successorKey !== undefined && kept.has(successorKey);
        };
        const destroyed = [...(this.#byUser.get(userId) ?? [])].filter(key => !kept.has(key) && !pointsIntoKept(key));
        return destroyed.filter(key => this.#remove(key)?.successorKey === undefined);
    }

    /** The entry if it is live at `now`, moved to the recent end; an expired one is dropped. */
    #live(key: string, now: number): MemoryEntry | undefined {
        const entry = this.#entries.get(key);
        if (!entry) return undefined;
        if (!isLive(entry, now)) {
            this.#remove(key);
            return undefined;
        }
        if (key === this.#newest) return entry;
        this.#entries.delete(key);
        this.#entries.set(key, entry);
        if (this.#anonymous.delete(key)) this.#anonymous.add(key);
        this.#newest = key;
        return entry;
    }

    #put(key: string, entry: MemoryEntry, now: number): void {
        this.#remove(key);
        this.#makeRoom(now);
        const { userId } = entry;
        delete entry.userId;
        this.#entries.set(key, entry);
        this.#index(key, userId);
        this.#newest = key;
    }

    /** Every change to an entry ends here: its fields changed, or its activity, or both. */
    #recordActivity(key: string, entry: MemoryEntry, activity: SessionActivity): void {
        entry.snapshot = undefined;
        const before = applyActivity(entry, activity);
        if (before !== entry.userId) {
            this.#unindex(key, before);
            this.#index(key, entry.userId);
        }
    }

    #index(key: string, userId: string | undefined): void {
        const entry = this.#entries.get(key);
        if (!entry) return;
        if (userId === undefined) delete entry.userId;
        else entry.userId = userId;
        if (userId === undefined) return void (MARKER in entry ? this.#markers : this.#anonymous).add(key);
        let keys = this.#byUser.get(userId);
        if (!keys) this.#byUser.set(userId, keys = new Set());
        keys.add(key);
    }

    #unindex(key: string, userId: string | undefined): void {
        if (userId === undefined) return void (this.#anonymous.delete(key) || this.#markers.delete(key));
        const keys = this.#byUser.get(userId);
        keys?.delete(key);
        if (keys?.size === 0) this.#byUser.delete(userId);
    }

    #remove(key: string): MemoryEntry | undefined {
        const entry = this.#entries.get(key);
        if (!entry) return undefined;
        if (key === this.#newest) this.#newest = undefined;
        this.#entries.delete(key);
        this.#unindex(key, entry.userId);
        return entry;
    }

    /**
     * Drops expired entries from the old end; when still full, the least recently used session
     * without a user, then the oldest marker, then the least recently used session of the user
     * holding the most. Expired entries cluster at the old end (idle expiry follows recency), so a
     * short scan finds them.
     */
    #makeRoom(now: number): void {
        let scanned = 0;
        for (const [key, entry] of this.#entries) {
            if (scanned++ >= EXPIRED_SCAN_LIMIT) break;
            if (!isLive(entry, now)) this.#remove(key);
            else if (this.#entries.size < this.#maxSessions) return;
        }
        for (const candidates of [this.#anonymous, this.#markers]) {
            for (const key of candidates) {
                if (this.#entries.size < this.#maxSessions) return;
                this.#evict(key);
            }
        }
        while (this.#entries.size >= this.#maxSessions) {
            const key = this.#leastRecentOfBusiestUser();
            if (key === undefined) return;
            this.#evict(key);
        }
    }

    /** The least recently used session of the user with the most sessions (a scan of users and of that user's sessions). */
    #leastRecentOfBusiestUser(): string | undefined {
        let busiest: Set<string> | undefined;
        for (const keys of this.#byUser.values()) if (!busiest || keys.size > busiest.size) busiest = keys;
        let oldest: string | undefined;
        for (const key of busiest ?? []) {
            if (oldest === undefined || this.#entries.get(key)!.lastSeenAt < this.#entries.get(oldest)!.lastSeenAt) oldest = key;
        }
        return oldest;
    }

    #evict(key: string): void {
        const userId = this.#entries.get(key)?.userId;
        this.#remove(key);
        for (const listener of this.#evictionListeners) {
            try {
                listener(userId === undefined ? { key } : { key, userId });
            } catch {
                // A listener's failure must not fail the write that made room.
            }
        }
    }
}

function holdsOnlyPrimitives(data: Record<string, unknown>): boolean {
    for (const key in data) {
        const value = data[key];
        if (typeof value === 'object' && value !== null) return false;
    }
    return true;
}

function frozen(record: SessionRecord): SessionRecord {
    Object.freeze(record.data);
    return Object.freeze(record);
}
