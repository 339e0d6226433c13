import { randomBytes } from 'crypto';
import { BoundedMap } from '../../../../shared/boundedMap';
import { SEAL_LINEAGE_BYTES } from '../../../../shared/sealOrder';
import { DenyList } from './DenyList';
import { SealedSession, sealedSession } from './sealedPayload';
import { sealedUnsupportedError } from './sealedErrors';
import {
    CompareAndSetResult, RenewResult, SessionActivity, SessionChanges, SessionRecord, SessionStore, SessionSummary,
} from '../stores/SessionStore';
import { applyActivity, isLive } from '../stores/rules';
import { storedRecord } from '../stores/storedFormat';

/** How many opened sessions one process keeps between a call's cookie check and its store steps. */
const MAX_ENTRIES = 100_000;

/**
 * Seals a session after a write; throws (a TSRPC error naming the key) when the seal would not
 * fit. `written`: the data the write set, where the key to name is looked for first.
 */
export type SealWriter = (storeKey: string, session: SealedSession, written: Readonly<Record<string, unknown>> | undefined) => string;

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
    readonly #entries = new BoundedMap<string, SessionEntry>(MAX_ENTRIES);
    /** Store keys of ids the codec just made: a `create` under one of them is a session, any other a ticket's marker. */
    readonly #minted = new BoundedMap<string, string>(MAX_ENTRIES);
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
        this.#minted.set(storeKey, id);
    }

    /**
     * A genuine seal's session, unless this process holds a newer state of it (more writes: a
     * parallel call's). False then: the caller's seal is stale, and its call is answered with the
     * newer one.
     */
    offer(storeKey: string, session: SealedSession): boolean {
        const held = this.#entries.get(storeKey);
        if (held && held.session.seq >= session.seq) return held.session.seq === session.seq;
        this.#entries.set(storeKey, { session });
        return true;
    }

    /** The session's id when `seal` is the one its last write here made (a string this process produced, so genuine). */
    idSealedAs(storeKey: string, seal: string): string | undefined {
        const entry = this.#entries.get(storeKey);
        return entry !== undefined && entry.seal === seal ? entry.session.id : undefined;
    }

    /** The seal of the session's current state: the one its last write made, or a new one. */
    sealOf(storeKey: string): string | undefined {
        const entry = this.#entries.get(storeKey);
        if (!entry) return undefined;
        entry.seal ??= this.#seal(storeKey, entry.session, undefined);
        return entry.seal;
    }

    async load(key: string, now: number): Promise<SessionRecord | undefined> {
        const entry = await this.#live(key, now);
        return entry?.session.record;
    }

    /** Without a deny-list to ask, the opened seal is the whole answer: given at once. */
    loadCached(key: string, now: number): SessionRecord | null | undefined {
        if (this.#denyList) return undefined;
        const entry = this.#entries.get(key);
        return entry && isLive(entry.session.record, now) ? entry.session.record : null;
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
        const session = sealedSession(id, randomBytes(SEAL_LINEAGE_BYTES), 1, withoutLabel(record));
        const seal = this.#seal(key, session, record.data);
        this.#entries.set(key, { session, seal });
    }

    update(key: string, changes: SessionChanges, activity: SessionActivity): Promise<boolean> {
        return this.#whenLive(key, activity.now, entry => this.#update(key, entry, changes, activity));
    }

    /** Without a deny-list to ask, an update is done at once: no promise for the plugin to wait on. */
    updateNow(key: string, changes: SessionChanges, activity: SessionActivity): boolean | undefined {
        if (this.#denyList) return undefined;
        const entry = this.#held(key, activity.now);
        if (entry === undefined) return false;
        this.#update(key, entry, changes, activity);
        return true;
    }

    touch(key: string, activity: SessionActivity): Promise<boolean> {
        return this.#whenLive(key, activity.now, entry => this.#write(key, entry, withActivity(storedRecord(entry.session.record, entry.session.record.data), activity), undefined));
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
        for (const [key, entry] of this.#entries.entries()) {
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
        const entry = this.#held(key, now);
        if (!entry || !this.#denyList) return entry;
        const { record } = entry.session;
        return this.#denyList.isDenied(key, record.userId, record.createdAt, now).then(denied => {
            if (denied) this.#entries.delete(key);
            // Read again: another call may have written while the deny-list answered.
            return denied ? undefined : this.#entries.get(key);
        });
    }

    /** The entry when live, by the table alone (the deny-list, if any, not asked). */
    #held(key: string, now: number): SessionEntry | undefined {
        const entry = this.#entries.get(key);
        return entry && isLive(entry.session.record, now) ? entry : undefined;
    }

    /**
     * Runs `write` on the live entry; true when there was one. Without a deny-list to ask, the
     * promise is settled before it is returned, so the caller's guard needs no timer.
     */
    #whenLive(key: string, now: number, write: (entry: SessionEntry) => void): Promise<boolean> {
        try {
            const live = this.#live(key, now);
            if (live instanceof Promise) return live.then(entry => entry !== undefined && (write(entry), true));
            if (live === undefined) return Promise.resolve(false);
            write(live);
            return Promise.resolve(true);
        } catch (e) {
            return Promise.reject(e);
        }
    }

    #update(key: string, entry: SessionEntry, changes: SessionChanges, activity: SessionActivity): void {
        const data = { ...entry.session.record.data, ...changes.set };
        for (const field of changes.unset) delete data[field];
        this.#write(key, entry, withActivity(storedRecord(entry.session.record, data), activity), changes.set);
    }

    /** Seals first: a seal that does not fit throws, and the session stays as it was. `entry` is the table's own, just read. */
    #write(key: string, entry: SessionEntry, record: SessionRecord, written: Readonly<Record<string, unknown>> | undefined): void {
        const session = sealedSession(entry.session.id, entry.session.lineage, entry.session.seq + 1, record);
        entry.seal = this.#seal(key, session, written);
        entry.session = session;
    }
}

/** `record`, a copy the caller made, with the call's activity applied. */
function withActivity(record: SessionRecord, activity: SessionActivity): SessionRecord {
    applyActivity(record, activity);
    record.idleExpiresAt = Math.min(record.idleExpiresAt, record.absoluteExpiresAt);
    return record;
}

/** A devices page is not available in sealed mode, and a label would cost cookie bytes. */
function withoutLabel(record: SessionRecord): SessionRecord {
    const { label: _label, ...rest } = record;
    return rest;
}
