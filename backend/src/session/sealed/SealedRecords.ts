import { randomBytes } from 'crypto';
import { SEAL_LINEAGE_BYTES } from '../../../../shared/sealOrder';
import { DenyList } from './DenyList';
import { SealedSession } from './sealedPayload';
import { sealedUnsupportedError } from './sealedErrors';
import {
    CompareAndSetResult, RenewResult, SessionActivity, SessionChanges, SessionRecord, SessionStore, SessionSummary,
} from '../stores/SessionStore';
import { applyActivity, isLive } from '../stores/rules';

/** How many opened sessions one process keeps between a call's cookie check and its store steps. */
const MAX_ENTRIES = 100_000;

/** Seals a session after a write; throws (a TSRPC error naming the key) when the seal would not fit. */
export type SealWriter = (storeKey: string, session: SealedSession, changedKeys: readonly string[]) => string;

/** An opened session, and its seal once a write made one. */
interface SessionEntry {
    session: SealedSession;
    seal?: string;
}

/**
 * The store of sealed mode. Nothing is stored for good: a session lives in its seal, which the
 * codec opens into this table when a call presents it, and which every write re-seals from here.
 * The table is bounded (oldest out) and per process; a call's own session stays from its cookie
 * check to its reply. What needs a shared store is refused with a clear error (compare-and-set,
 * device lists), or goes to the optional deny-list (destroy, logout-others, WebSocket tickets'
 * one-time markers).
 */
export class SealedRecords implements SessionStore {
    readonly #entries = new Map<string, SessionEntry>();
    /** Store keys of ids the codec just made: a `create` under one of them is a session, any other a ticket's marker. */
    readonly #minted = new Map<string, string>();
    readonly #denyList: DenyList | undefined;
    readonly #seal: SealWriter;
    readonly #now: () => number;
    /** How long a seal can live: a user's cutoff outlives every seal it refuses. */
    readonly #maxLifetimeMs: number;

    constructor(denyList: DenyList | undefined, seal: SealWriter, now: () => number, maxLifetimeMs: number) {
        this.#denyList = denyList;
        this.#seal = seal;
        this.#now = now;
        this.#maxLifetimeMs = maxLifetimeMs;
    }

    /** Whether WebSocket tickets' one-time markers have a store shared by the servers: the deny-list's. */
    get sharesMarkers(): boolean {
        return this.#denyList !== undefined;
    }

    get size(): number {
        return this.#entries.size;
    }

    /** Called by the codec for every id it makes. */
    minted(storeKey: string, id: string): void {
        remember(this.#minted, storeKey, id);
    }

    /**
     * A genuine seal's session, unless this process holds a newer state of it (more writes: a
     * parallel call's). False then: the caller's seal is stale, and its call is answered with the
     * newer one.
     */
    offer(storeKey: string, session: SealedSession): boolean {
        const held = this.#entries.get(storeKey);
        if (held && held.session.seq >= session.seq) return held.session.seq === session.seq;
        remember(this.#entries, storeKey, { session });
        return true;
    }

    /** The seal of the session's current state: the one its last write made, or a new one. */
    sealOf(storeKey: string): string | undefined {
        const entry = this.#entries.get(storeKey);
        if (!entry) return undefined;
        entry.seal ??= this.#seal(storeKey, entry.session, []);
        return entry.seal;
    }

    async load(key: string, now: number): Promise<SessionRecord | undefined> {
        const entry = await this.#live(key, now);
        return entry?.session.record;
    }

    async create(key: string, record: SessionRecord): Promise<void> {
        const id = this.#minted.get(key);
        if (id === undefined) {
            // A WebSocket ticket's one-time marker: shared through the deny-list's store, so the ticket redeems on any server.
            if (!this.#denyList) throw new Error('tsrpc-session: a one-time ticket marker needs sealed.denyList');
            await this.#denyList.createTicketMarker(key, record);
            return;
        }
        this.#minted.delete(key);
        const session: SealedSession = { id, lineage: randomBytes(SEAL_LINEAGE_BYTES), seq: 1, record: withoutLabel(record) };
        const seal = this.#seal(key, session, Object.keys(record.data));
        remember(this.#entries, key, { session, seal });
    }

    async update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean> {
        const entry = await this.#live(key, activity.now) && this.#entries.get(key);
        if (!entry) return false;
        const data = { ...entry.session.record.data, ...changes.set };
        for (const field of changes.unset) delete data[field];
        this.#write(key, entry, withActivity({ ...entry.session.record, data }, activity), [...Object.keys(changes.set), ...changes.unset]);
        return true;
    }

    async touch(key: string, activity: SessionActivity): Promise<boolean> {
        const entry = await this.#live(key, activity.now) && this.#entries.get(key);
        if (!entry) return false;
        this.#write(key, entry, withActivity(entry.session.record, activity), []);
        return true;
    }

    async compareAndSet(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult> {
        // Across calls and servers there is no shared copy of a session to compare with: refused, not faked.
        if (this.#entries.has(key)) throw sealedUnsupportedError('session.update() (compare-and-set across calls)');
        return this.#denyList ? this.#denyList.redeemTicketMarker(key, field, expected, next, activity) : 'missing';
    }

    async renew(): Promise<RenewResult> {
        throw sealedUnsupportedError('renewIdAfterMs');
    }

    async destroy(key: string): Promise<void> {
        const entry = this.#entries.get(key);
        this.#entries.delete(key);
        if (!entry || !this.#denyList) return;
        await this.#denyList.denySession(key, this.#now(), entry.session.record.absoluteExpiresAt);
    }

    async listByUser(): Promise<SessionSummary[]> {
        throw sealedUnsupportedError('listing a user\'s devices');
    }

    /**
     * Every seal of the user made before now stops opening (the deny-list's "not before"), the
     * caller's excepted; returns the sessions this process held, so their sockets close.
     */
    async destroyByUser(userId: string, exceptKey?: string): Promise<string[]> {
        if (!this.#denyList) throw sealedUnsupportedError('revoking a user\'s other sessions without sealed.denyList');
        const ended: string[] = [];
        for (const [key, entry] of this.#entries) {
            if (entry.session.record.userId !== userId) continue;
            if (key !== exceptKey) ended.push(key);
        }
        for (const key of ended) this.#entries.delete(key);
        const now = this.#now();
        await this.#denyList.denyUser(userId, now, now + this.#maxLifetimeMs, exceptKey);
        return ended;
    }

    async close(): Promise<void> {
        await this.#denyList?.store.close?.();
    }

    /**
     * The entry, when live and not revoked. Callers use it in the same synchronous step as they get
     * it (no await between): parallel calls of one session then each write on the previous one's
     * result, instead of all on the state they started from.
     */
    #live(key: string, now: number): Promise<SessionEntry | undefined> | SessionEntry | undefined {
        const entry = this.#entries.get(key);
        if (!entry) return undefined;
        const { record } = entry.session;
        if (!isLive(record, now)) return undefined;
        if (!this.#denyList) return entry;
        return this.#denyList.isDenied(key, record.userId, record.createdAt, now).then(denied => {
            if (denied) this.#entries.delete(key);
            // Read again: another call may have written while the deny-list answered.
            return denied ? undefined : this.#entries.get(key);
        });
    }

    /** Seals first: a seal that does not fit throws, and the session stays as it was. */
    #write(key: string, entry: SessionEntry, record: SessionRecord, changedKeys: readonly string[]): void {
        const session: SealedSession = { id: entry.session.id, lineage: entry.session.lineage, seq: entry.session.seq + 1, record };
        const seal = this.#seal(key, session, changedKeys);
        remember(this.#entries, key, { session, seal });
    }
}

function withActivity(record: SessionRecord, activity: SessionActivity): SessionRecord {
    const next: SessionRecord = { ...record };
    applyActivity(next, activity);
    next.idleExpiresAt = Math.min(next.idleExpiresAt, next.absoluteExpiresAt);
    return next;
}

/** A devices page is not available in sealed mode, and a label would cost cookie bytes. */
function withoutLabel(record: SessionRecord): SessionRecord {
    const { label: _label, ...rest } = record;
    return rest;
}

/** Keeps at most MAX_ENTRIES, dropping the oldest; a re-inserted key becomes the newest. */
function remember<V>(table: Map<string, V>, key: string, value: V): void {
    table.delete(key);
    if (table.size >= MAX_ENTRIES) {
        const oldest = table.keys().next();
        if (!oldest.done) table.delete(oldest.value);
    }
    table.set(key, value);
}
