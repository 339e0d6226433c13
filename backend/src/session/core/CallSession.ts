import type { ApiCall, BaseConnection, Logger } from 'tsrpc';
import { CookieChanges } from '../handler/CallCookies';
import { DeviceInfo } from '../connections/DeviceDirectory';
import { updateConflictError } from '../plugin/errors';
import { PendingChanges } from './PendingChanges';
import { CallSaveEnvironment } from './CallSaveEnvironment';
import { activityOf, cookieLifetimeMs, freshSession, idleTimeoutOf, isFresh, Outcome, planSave, SaveEnvironment, SavePlan, storeKeyOf, StoreStep } from './persistence';
import { upgradeRecord } from './recordVersions';
import { SessionContext } from './SessionContext';
import { VerifiedId } from './SessionIdCodec';
import { GONE, isStored, recordOf, SessionState } from './SessionState';
import { RenewResult, SessionRecord } from '../stores/SessionStore';
import { SESSION_ENDED_REASON } from '../../../../shared/sessionEnd';

/** How many renewed records a read follows before it gives up on the id. */
const MAX_SUCCESSORS = 4;
const MAX_UPDATE_ATTEMPTS = 16;

/**
 * One call's session: its state, its pending changes, and the transitions that need the store.
 * Internal; handlers see it through `Session`.
 */
export class CallSession {
    readonly ctx: SessionContext;
    /** The connection the call came on (bound to the session at save), or the one `sessionOf` was asked about. */
    readonly conn: BaseConnection | undefined;
    /** The client's cookie changes, the session cookie's included: what the call answers with. */
    readonly cookies: CookieChanges;
    readonly changes = new PendingChanges();
    /** The call itself, for its logger and `sessionLabel`; none behind `sessionOf`. */
    readonly #call: ApiCall | undefined;
    #state: SessionState;
    /** The read in progress or done, so a session is read at most once per call. */
    #reading: Promise<void> | undefined;

    constructor(ctx: SessionContext, cookies: CookieChanges, verified: VerifiedId | undefined, conn: BaseConnection | undefined, call?: ApiCall) {
        this.ctx = ctx;
        this.conn = conn;
        this.cookies = cookies;
        this.#call = call;
        this.#state = verified ? { kind: 'unread', id: verified.id, resign: !verified.signedWithCurrentSecret } : GONE;
    }

    get state(): SessionState {
        return this.#state;
    }

    /** True when save() has nothing to do: the call neither read nor changed its session. */
    get isUntouched(): boolean {
        const { kind } = this.#state;
        return (kind === 'unread' || kind === 'gone') && this.changes.size === 0 && !this.ctx.options.saveUninitialized;
    }

    /** The session's data as this call sees it, pending changes applied. */
    data(): Record<string, unknown> {
        return this.changes.applyTo(recordOf(this.#state)?.data);
    }

    userId(): string | undefined {
        const userId = this.data()[this.ctx.options.userIdKey];
        return typeof userId === 'string' ? userId : undefined;
    }

    /** The store key of the session's record, when it is stored. */
    storedKey(): string | undefined {
        return isStored(this.#state) ? storeKeyOf(this.#state, this.ctx.codec) : undefined;
    }

    ensureRead(): Promise<void> {
        this.#reading ??= this.#read();
        return this.#reading;
    }

    /** Forgets what was read, so the next access reads the session again. */
    unread(): void {
        const state = this.#state;
        if (!isStored(state)) return;
        this.#state = { kind: 'unread', id: state.id, resign: state.kind === 'loaded' && state.resign };
        this.#reading = undefined;
    }

    /** No session any more; a client holding a stored one is told to drop it. Pending changes stay. */
    forget(): void {
        if (this.#state.kind !== 'new' && this.#state.kind !== 'gone') this.#clearCookie();
        this.#state = GONE;
    }

    /** A new id for the session; the old record is destroyed and its other sockets let go. */
    async regenerate(keepData: boolean): Promise<void> {
        await this.ensureRead();
        const data = keepData ? this.data() : {};
        const state = this.#state;
        const previousStoreKey = this.storedKey();
        this.changes.clear();
        this.#state = freshSession(new CallSaveEnvironment(this), data, { type: 'regenerated', previousStoreKey });
        if (!isStored(state)) return;
        this.#clearCookie();
        // Only the calling connection follows the new id (bound at save): a socket of whoever
        // planted the old id must not read the session it just became (fixation).
        this.ctx.bindings.release(storeKeyOf(state, this.ctx.codec));
        await this.ctx.store.destroy(this.ctx.codec.storeKey(state.id));
    }

    /** Ends the session, and the successor a renewed id points to. Later writes start a new one. */
    async destroy(): Promise<void> {
        const state = this.#state;
        const userId = this.userId();
        this.forget();
        this.changes.clear();
        this.#reading = Promise.resolve();
        if (state.kind !== 'unread' && !isStored(state)) return;
        // The request's id: a renewed one's record points to the successor, which the store ends too.
        await this.ctx.store.destroy(this.ctx.codec.storeKey(state.id));
        const storeKey = state.kind === 'unread' ? this.ctx.codec.storeKey(state.id) : storeKeyOf(state, this.ctx.codec);
        this.ctx.bindings.close(storeKey, SESSION_ENDED_REASON, this.conn);
        this.ctx.audit.emit({ type: 'destroyed', storeKey, userId }, this.#logger);
    }

    /** Persists the pending changes (and touch, renewal, re-signing) now. */
    save(): Promise<void> {
        return this.finish() ?? Promise.resolve();
    }

    /**
     * What save() does, at the end of a call: undefined when it needed no store step (a call that
     * never touched its session, or read it and changed nothing), its work then done at once. Every
     * call ends here: most answer without a promise.
     */
    finish(): Promise<void> | undefined {
        if (this.isUntouched) return undefined;
        try {
            // With renewal on, a write must know whether its id was renewed, or it would land in the old record.
            if (this.ctx.options.renewIdAfterMs > 0 && this.changes.size > 0) return this.#readAndSave();
            const env = new CallSaveEnvironment(this);
            const plan = planSave(this.#state, this.changes, env);
            if (plan) return this.#store(plan, env);
            this.#settle(env.now);
            return undefined;
        } catch (e) {
            return Promise.reject(e);
        }
    }

    async #readAndSave(): Promise<void> {
        await this.ensureRead();
        const env = new CallSaveEnvironment(this);
        const plan = planSave(this.#state, this.changes, env);
        if (plan) await this.#store(plan, env);
        else this.#settle(env.now);
    }

    /** Runs plans from `first` until one is done or none is left. */
    async #store(first: SavePlan, env: SaveEnvironment): Promise<void> {
        for (let plan: SavePlan | undefined = first; plan; plan = planSave(this.#state, this.changes, env)) {
            const outcome = plan.step ? plan.settle(await this.#run(plan.step)) : plan.outcome;
            this.#apply(outcome, plan.step, env.now);
            if (plan.step && outcome.done) await this.#capUser(userIndexedBy(plan.step), plan.step.storeKey);
            if (outcome.done) break;
        }
        this.#settle(env.now);
    }

    /** After the store steps: a cookie signed with an older secret is re-signed, and a socket follows its session. */
    #settle(now: number): void {
        const state = this.#state;
        if (state.kind === 'loaded' && state.resign) {
            this.#sendCookie(now);
            this.#state = { ...state, resign: false };
        }
        if (this.conn && isStored(this.#state)) this.ctx.bindings.bind(this.conn, storeKeyOf(this.#state, this.ctx.codec), this.#state.id);
    }

    /** What a devices page shows for a session this call creates. */
    label(): string | undefined {
        return this.#call ? this.ctx.options.sessionLabel(this.#call) : undefined;
    }

    /** Slides the idle expiry now, whatever `touchAfterMs` says. */
    async touch(): Promise<void> {
        await this.ensureRead();
        const state = this.#state;
        if (!isStored(state)) return;
        const { options } = this.ctx;
        const now = options.now();
        const touched = await this.ctx.store.touch(storeKeyOf(state, this.ctx.codec), activityOf(options, now));
        if (!touched) return this.forget();
        this.#state = { ...state, record: { ...state.record, lastSeenAt: now, idleExpiresAt: now + idleTimeoutOf(options, state.record.userId) } };
        if (state.kind === 'loaded' && options.rolling) this.#sendCookie(now);
    }

    /** Atomic read-modify-write of one key (compare-and-set, retried), written at once. */
    async update<T>(key: string, fn: (current: never) => T): Promise<T> {
        const { store, options, codec } = this.ctx;
        for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            await this.ensureRead();
            const state = this.#state;
            const current = this.changes.has(key) ? this.changes.get(key) : recordOf(state)?.data[key];
            const next = fn(structuredClone(current) as never);
            if (!isStored(state)) {
                // Nobody else can see a session that is not stored yet: it is created whole at save().
                this.changes.set(key, next);
                return next;
            }
            const activity = activityOf(options, options.now(), key === options.userIdKey ? { value: next } : undefined);
            const result = await store.compareAndSet(storeKeyOf(state, codec), key, state.record.data[key], next, activity);
            if (result === 'ok') {
                await this.#capUser(activity.userId ?? undefined, storeKeyOf(state, codec));
                this.changes.delete(key);
                this.#state = { ...state, record: { ...state.record, data: withField(state.record.data, key, next) } };
                return next;
            }
            if (result === 'missing') this.forget();
            else this.unread();
            await jitter(attempt);
        }
        throw updateConflictError(key);
    }

    async devices(): Promise<DeviceInfo[]> {
        const userId = await this.#readUserId();
        return userId === undefined ? [] : this.ctx.devices.list(userId, this.storedKey());
    }

    async revokeOtherDevices(): Promise<number> {
        const userId = await this.#readUserId();
        return userId === undefined ? 0 : this.ctx.devices.revokeAll(userId, this.storedKey(), this.conn);
    }

    /** Ends one of the user's sessions by its device handle; this one's is a logout. */
    async revokeDevice(handle: string): Promise<boolean> {
        const userId = await this.#readUserId();
        const storeKey = userId === undefined ? undefined : await this.ctx.devices.storeKeyOf(userId, handle);
        if (userId === undefined || storeKey === undefined) return false;
        if (storeKey === this.storedKey()) await this.destroy();
        else await this.ctx.devices.revoke(userId, [storeKey], this.conn);
        return true;
    }

    async #readUserId(): Promise<string | undefined> {
        await this.ensureRead();
        return this.userId();
    }

    async #read(): Promise<void> {
        const state = this.#state;
        if (state.kind !== 'unread') return;
        const { codec, options, audit } = this.ctx;
        const now = options.now();
        let storeKey = codec.storeKey(state.id);
        let record = upgraded(await this.ctx.store.load(storeKey, now));
        let hops = 0;
        // A call still carrying a renewed id, inside the grace window: it works on the successor.
        while (record?.successorKey !== undefined && hops++ < MAX_SUCCESSORS) {
            storeKey = record.successorKey;
            record = upgraded(await this.ctx.store.load(storeKey, now));
        }
        if (record && record.successorKey === undefined && isFresh(record, options, now)) {
            this.#state = hops === 0 ? { kind: 'loaded', id: state.id, record, resign: state.resign } : { kind: 'followed', id: state.id, storeKey, record };
            return;
        }
        audit.emit({ type: record ? 'expired' : 'rejected', storeKey, ...(!record && { reason: 'unknown' }) }, this.#logger);
        this.forget();
    }

    #run(step: StoreStep): Promise<boolean | RenewResult | void> {
        const { store } = this.ctx;
        switch (step.op) {
            case 'create': return store.create(step.storeKey, step.record);
            case 'update': return store.update(step.storeKey, this.changes.toStoreChanges(), step.activity);
            case 'touch': return store.touch(step.storeKey, step.activity);
            case 'renew': return store.renew(step.storeKey, step.successorKey, { ...step.renewal, changes: this.changes.toStoreChanges() });
        }
    }

    #apply(outcome: Outcome, step: StoreStep | undefined, now: number): void {
        this.#state = outcome.state;
        if (outcome.done) this.changes.clear();
        if (outcome.cookie === 'clear') this.#clearCookie();
        if (outcome.cookie === 'send' && outcome.state.kind !== 'followed') this.#sendCookie(now);
        if (outcome.audit) this.ctx.audit.emit(outcome.audit, this.#logger);
        // A renewal moves every socket of the session: they all held the id, and the session is the same.
        if (step?.op === 'renew' && outcome.state.kind === 'loaded') {
            this.ctx.bindings.rekey(step.storeKey, step.successorKey, step.successorId);
        }
    }

    /** After a write put the session under `userId`: the user's other sessions past the cap end. */
    async #capUser(userId: string | undefined, storeKey: string): Promise<void> {
        if (userId === undefined) return;
        try {
            await this.ctx.devices.capSessions(userId, storeKey, this.ctx.options.maxSessionsPerUser);
        } catch (e) {
            // The write stands: the cap is enforced again at the user's next login.
            this.#logger?.warn('[SessionCapFailed]', (e as Error)?.message);
        }
    }

    #sendCookie(now: number): void {
        const state = this.#state;
        if (state.kind === 'gone' || state.kind === 'followed') return;
        const lifetime = cookieLifetimeMs(state, this.ctx.options, now);
        if (lifetime !== undefined) this.cookies.set(this.ctx.options.cookieName, this.ctx.codec.sign(state.id), lifetime);
    }

    #clearCookie(): void {
        this.cookies.clear(this.ctx.options.cookieName);
    }

    get #logger(): Logger | undefined {
        return this.#call?.logger;
    }
}

function upgraded(record: SessionRecord | undefined): SessionRecord | undefined {
    return record && upgradeRecord(record);
}

function withField(data: Readonly<Record<string, unknown>>, field: string, value: unknown): Record<string, unknown> {
    const next = { ...data };
    if (value === undefined) delete next[field];
    else next[field] = value;
    return next;
}

/** Spreads retries of racing updates so they stop colliding. */
function jitter(attempt: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
}

/** The user a store step indexed the session under, if it did. */
function userIndexedBy(step: StoreStep): string | undefined {
    if (step.op === 'create') return step.record.userId;
    if (step.op === 'renew') return undefined;
    return typeof step.activity.userId === 'string' ? step.activity.userId : undefined;
}
