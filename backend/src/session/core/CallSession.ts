import type { ApiCall, BaseConnection, Logger } from 'tsrpc';
import { updateConflictError } from '../plugin/errors';
import { NO_CHANGES, PendingChanges } from './PendingChanges';
import type { DeviceOwner } from './deviceActions';
import { compareAndSetStep, jitter, MAX_UPDATE_ATTEMPTS, runSave, SaveRun } from './storeSteps';
import {
    activityOf, freshSession, idleTimeoutOf, outOfPlace, planSave, restsAsRead, SaveEnvironment, SavePlan, writesUserToPlacingStore,
} from './persistence';
import { NOT_HELD, ReadResult, readSession, readSessionNow } from './sessionReads';
import { SessionContext } from './SessionContext';
import { CLEARED, sessionCookieOf, SessionCookieUpdate } from './sessionCookie';
import { VerifiedId } from './SessionIdCodec';
import { GONE, isStored, recordOf, SessionState, unread } from './SessionState';
import { SESSION_ENDED_REASON } from '../../../../shared/sessionEnd';

/** The settled promise of work already done, shared: no promise made per call for it. */
export const DONE: Promise<void> = Promise.resolve();

/**
 * What a call presented as its session: a verified id, a value that failed verification (the
 * client is told to drop it), or nothing.
 */
export type Presented = VerifiedId | 'invalid' | undefined;

/**
 * One call's session: its state, its pending changes, what its session cookie becomes, and the
 * transitions that need the store. Internal; handlers see it through `Session`.
 */
export class CallSession {
    readonly #ctx: SessionContext;
    /** The connection the call came on (bound to the session at save), or the one `sessionOf` was asked about. */
    readonly #conn: BaseConnection | undefined;
    /** The call itself, for its logger and `sessionLabel`; none behind `sessionOf`. */
    readonly #call: ApiCall | undefined;
    /** Made on the first change: most calls change nothing. */
    #written: PendingChanges | undefined;
    #state: SessionState;
    #cookie: SessionCookieUpdate;

    constructor(ctx: SessionContext, presented: Presented, conn: BaseConnection | undefined, call?: ApiCall) {
        this.#ctx = ctx;
        this.#conn = conn;
        this.#call = call;
        if (presented === 'invalid') {
            this.#state = GONE;
            this.#cookie = CLEARED;
        } else {
            this.#state = presented ? unread(presented.id, !presented.signedWithCurrentSecret, undefined, ctx.codec.storeKeyOf(presented)) : GONE;
        }
    }

    /** The session id, once the session is known live or made in this call. */
    get id(): string | undefined {
        const state = this.#state;
        return state.kind === 'loaded' || state.kind === 'followed' || state.kind === 'new' ? state.id : undefined;
    }

    /** What the client is told about its session cookie, once the call is finished: sent, cleared, or nothing. */
    get sessionCookie(): SessionCookieUpdate {
        return this.#cookie;
    }

    /** True when save() has nothing to do: the call neither read nor changed its session. */
    get isUntouched(): boolean {
        const { kind } = this.#state;
        return (kind === 'unread' || kind === 'gone') && this.#changes().size === 0 && !this.#ctx.options.saveUninitialized;
    }

    /**
     * One value as this call sees it: a pending change wins, else the record is read. A read the
     * store answered from memory is done already: a settled promise, no async frame, no turn of
     * the event loop.
     */
    get(key: string): Promise<unknown> {
        try {
            const changes = this.#changes();
            if (changes.has(key)) return Promise.resolve(changes.get(key));
            const reading = this.#ensureRead();
            if (reading === DONE) return Promise.resolve(this.#stored(key));
            return reading.then(() => this.#stored(key));
        } catch (e) {
            return Promise.reject(e);
        }
    }

    #stored(key: string): unknown {
        return recordOf(this.#state)?.data[key];
    }

    /** `undefined` unsets; stored at save(). */
    set(key: string, value: unknown): void {
        (this.#written ??= new PendingChanges()).set(key, value);
    }

    /**
     * The pending changes, none shared by every call that made none. A method, as `#logger()`: V8
     * reads a private getter through its runtime on every use.
     */
    #changes(): PendingChanges {
        return this.#written ?? NO_CHANGES;
    }

    /** The session's data as this call sees it, pending changes applied. */
    async getAll(): Promise<Record<string, unknown>> {
        await this.#ensureRead();
        return this.#data();
    }

    /** Unsets every key the session holds (at save()). */
    async clear(): Promise<void> {
        await this.#ensureRead();
        for (const key of Object.keys(this.#data())) this.set(key, undefined);
    }

    /** Drops the pending changes and reads the session again. */
    async reload(): Promise<void> {
        this.#written = undefined;
        const state = this.#state;
        if (isStored(state)) this.#state = unread(state.id, state.kind === 'loaded' && state.resign);
        await this.#ensureRead();
    }

    #ensureRead(): Promise<void> {
        const state = this.#state;
        if (state.kind !== 'unread') return DONE;
        if (state.loading) return state.loading;
        const held = readSessionNow(this.#ctx, state, this.#logger());
        if (held !== NOT_HELD) {
            this.#read(held);
            return DONE;
        }
        // Destroyed, reloaded or otherwise moved on while the store answered: that state stands.
        const loading = readSession(this.#ctx, state, this.#logger()).then(found => {
            if (this.#state === reading) this.#read(found);
        });
        const reading = unread(state.id, state.resign, loading, state.storeKey);
        this.#state = reading;
        return loading;
    }

    #read(found: ReadResult): void {
        if (found) this.#state = found;
        else this.#forget();
    }

    /** A new id for the session; the old record is destroyed and its other sockets let go. */
    async regenerate(keepData: boolean): Promise<void> {
        await this.#ensureRead();
        const data = keepData ? this.#data() : {};
        const state = this.#state;
        const previousStoreKey = this.#storedKey();
        this.#written = undefined;
        this.#state = freshSession(this.#saveEnvironment(this.#ctx.options.now()), data, { type: 'regenerated', previousStoreKey });
        if (!isStored(state)) return;
        this.#cookie = CLEARED;
        // Only the calling connection follows the new id (bound at save): a socket of whoever
        // planted the old id must not read the session it just became (fixation).
        const { bindings, store, codec } = this.#ctx;
        bindings.release(state.storeKey);
        await store.destroy(codec.storeKey(state.id));
    }

    /** Ends the session, and the successor a renewed id points to. Later writes start a new one. */
    async destroy(): Promise<void> {
        const state = this.#state;
        const userId = this.#userId();
        this.#forget();
        this.#written = undefined;
        if (state.kind !== 'unread' && !isStored(state)) return;
        const { store, codec, bindings, audit } = this.#ctx;
        // The request's id: a renewed one's record points to the successor, which the store ends too.
        await store.destroy(codec.storeKey(state.id));
        const storeKey = state.kind === 'unread' ? codec.storeKey(state.id) : state.storeKey;
        bindings.close(storeKey, SESSION_ENDED_REASON, this.#conn);
        audit.emit({ type: 'destroyed', storeKey, userId }, this.#logger());
    }

    /** Persists the pending changes (and touch, renewal, re-signing) now. */
    save(): Promise<void> {
        return this.finish() ?? DONE;
    }

    /**
     * What save() does, at the end of a call: undefined when its work is done at once (a call that
     * never touched its session, read it and changed nothing, or wrote what the store stored at
     * once). Every call ends here: most answer without a promise.
     */
    finish(): Promise<void> | undefined {
        if (this.isUntouched) return undefined;
        try {
            if (writesUserToPlacingStore(this.#state, this.#changes(), this.#ctx.options)) return this.#placeAndSave();
            // With renewal on, a write must know whether its id was renewed, or it would land in the old record.
            if (this.#ctx.options.renewIdAfterMs > 0 && this.#changes().size > 0) return this.#readAndSave();
            const now = this.#ctx.options.now();
            if (restsAsRead(this.#state, this.#changes(), this.#ctx.options, now)) {
                this.#settle(now);
                return undefined;
            }
            const env = this.#saveEnvironment(now);
            const plan = planSave(this.#state, this.#changes(), env);
            if (plan) return this.#store(plan, env);
            this.#settle(env.now);
            return undefined;
        } catch (e) {
            return Promise.reject(e);
        }
    }

    /**
     * A session that gets a user whose tag its id does not carry moves to a new id in the user's
     * slot first (a regenerate keeping the data), so the store indexes it in one atomic step there.
     */
    async #placeAndSave(): Promise<void> {
        await this.#ensureRead();
        const state = this.#state;
        if (isStored(state) && outOfPlace(this.#ctx.options, state.id, this.#changes().get(this.#ctx.options.userIdKey))) await this.regenerate(true);
        await this.#readAndSave();
    }

    async #readAndSave(): Promise<void> {
        await this.#ensureRead();
        const env = this.#saveEnvironment(this.#ctx.options.now());
        const plan = planSave(this.#state, this.#changes(), env);
        if (plan) await this.#store(plan, env);
        else this.#settle(env.now);
    }

    #saveEnvironment(now: number): SaveEnvironment {
        return new SaveEnvironment(this.#ctx.options, this.#ctx.codec, this.#call, now);
    }

    /**
     * The store steps of save() (storeSteps.ts), their result taken in one transition: at once when
     * the store did them at once (undefined then, as finish() answers), else when they are done.
     */
    #store(first: SavePlan, env: SaveEnvironment): Promise<void> | undefined {
        const run = runSave(this.#ctx, first, this.#state, this.#changes(), env, this.#logger());
        if (run instanceof Promise) return run.then(done => this.#take(done, env.now));
        this.#take(run, env.now);
        return undefined;
    }

    #take(run: SaveRun, now: number): void {
        this.#state = run.state;
        if (run.cookie) this.#cookie = run.cookie;
        if (run.written) this.#written = undefined;
        this.#settle(now);
    }

    /** After the store steps: a cookie signed with an older secret is re-signed, and a socket follows its session. */
    #settle(now: number): void {
        const state = this.#state;
        if (state.kind === 'loaded' && state.resign) {
            this.#state = { ...state, resign: false };
            this.#sendCookie(now);
        }
        const settled = this.#state;
        if (this.#conn && isStored(settled)) this.#ctx.bindings.bind(this.#conn, settled.storeKey, settled.id);
    }

    /** Slides the idle expiry now, whatever `touchAfterMs` says. */
    async touch(): Promise<void> {
        await this.#ensureRead();
        const state = this.#state;
        if (!isStored(state)) return;
        const { options, store } = this.#ctx;
        const now = options.now();
        const touched = await store.touch(state.storeKey, activityOf(options, now));
        if (!touched) return this.#forget();
        this.#state = { ...state, record: { ...state.record, lastSeenAt: now, idleExpiresAt: now + idleTimeoutOf(options, state.record.userId) } };
        if (state.kind === 'loaded' && options.rolling) this.#sendCookie(now);
    }

    /** Atomic read-modify-write of one key (compare-and-set, retried), written at once. */
    async update<T>(key: string, fn: (current: unknown) => T): Promise<T> {
        const { options } = this.#ctx;
        for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            await this.#ensureRead();
            const state = this.#state;
            const changes = this.#changes();
            const current = changes.has(key) ? changes.get(key) : recordOf(state)?.data[key];
            const next = fn(structuredClone(current));
            if (!isStored(state)) {
                // Nobody else can see a session that is not stored yet: it is created whole at save().
                this.set(key, next);
                return next;
            }
            if (key === options.userIdKey && outOfPlace(options, state.id, next)) {
                // Into the user's slot under a new id first (see #placeAndSave), written at once.
                this.set(key, next);
                await this.regenerate(true);
                await this.save();
                return next;
            }
            const after = await compareAndSetStep(this.#ctx, state, key, next, this.#logger());
            if (after === undefined) this.#forget();
            else this.#state = after;
            if (after && isStored(after)) {
                this.#changes().delete(key);
                return next;
            }
            await jitter(attempt);
        }
        throw updateConflictError(key);
    }

    /** Whose session this is, for the device actions (deviceActions.ts). */
    async deviceOwner(): Promise<DeviceOwner> {
        await this.#ensureRead();
        return { devices: this.#ctx.devices, userId: this.#userId(), storeKey: this.#storedKey(), conn: this.#conn, destroy: () => this.destroy() };
    }

    #data(): Record<string, unknown> {
        return this.#changes().applyTo(recordOf(this.#state)?.data);
    }

    #userId(): string | undefined {
        const userId = this.#data()[this.#ctx.options.userIdKey];
        return typeof userId === 'string' ? userId : undefined;
    }

    /** The store key of the session's record, when it is stored. */
    #storedKey(): string | undefined {
        return isStored(this.#state) ? this.#state.storeKey : undefined;
    }

    /** No session any more; a client holding a stored one is told to drop it. Pending changes stay. */
    #forget(): void {
        if (this.#state.kind !== 'new' && this.#state.kind !== 'gone') this.#cookie = CLEARED;
        this.#state = GONE;
    }

    #sendCookie(now: number): void {
        const update = sessionCookieOf(this.#state, this.#ctx.options, this.#ctx.codec, now);
        if (update) this.#cookie = update;
    }

    #logger(): Logger | undefined {
        return this.#call?.logger;
    }
}
