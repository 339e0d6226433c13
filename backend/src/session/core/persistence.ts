import type { ApiCall } from 'tsrpc';
import { ResolvedSessionOptions } from '../plugin/options';
import { PendingChanges } from './PendingChanges';
import { SessionIdCodec } from './SessionIdCodec';
import { Fresh, GONE, isStored, loaded, Loaded, SessionOrigin, SessionState, Stored } from './SessionState';
import { RenewResult, SESSION_RECORD_VERSION, SessionActivity, SessionRecord, SessionRenewal } from '../stores/SessionStore';
import { tagOfId, userTag } from '../stores/sessionTags';

/**
 * What persistence needs besides the state and the changes: the clock read once per save, the
 * codec for new ids and store keys, and the call for the label of a session it creates. Nothing in
 * it reaches back into the call's session.
 */
export class SaveEnvironment {
    readonly options: ResolvedSessionOptions;
    readonly now: number;
    readonly #codec: SessionIdCodec;
    readonly #call: ApiCall | undefined;

    constructor(options: ResolvedSessionOptions, codec: SessionIdCodec, call: ApiCall | undefined, now: number) {
        this.options = options;
        this.now = now;
        this.#codec = codec;
        this.#call = call;
    }

    /** A new id; on a store that places sessions by user, tagged for `userId` (a random tag without one). */
    newId(userId?: string): string {
        if (!this.options.store.placesByUser) return this.#codec.newId();
        return this.#codec.newId(userId === undefined ? null : userTag(userId));
    }

    /** The id a session of `userId` is created under: `id`, or a new one if the store needs the user's tag in it. */
    idFor(id: string, userId: string | undefined): string {
        return outOfPlace(this.options, id, userId) ? this.newId(userId) : id;
    }

    /** The id a renewal moves a session to: in the slot of `id`, so the store moves it in one atomic step. */
    successorId(id: string): string {
        const tag = tagOfId(id);
        return tag === undefined ? this.#codec.newId() : this.#codec.newId(tag);
    }

    storeKey(id: string): string {
        return this.#codec.storeKey(id);
    }

    /** What a devices page shows: read only when a session is created. */
    label(): string | undefined {
        return this.#call ? this.options.sessionLabel(this.#call) : undefined;
    }
}

/** The one store operation a step of save() needs, with how its result (typed per operation) moves the state. */
export type StoreStep =
    | { op: 'create'; storeKey: string; record: SessionRecord; settle(): Outcome }
    | { op: 'update'; storeKey: string; activity: SessionActivity; settle(updated: boolean): Outcome }
    | { op: 'touch'; storeKey: string; activity: SessionActivity; settle(touched: boolean): Outcome }
    | { op: 'renew'; storeKey: string; successorKey: string; renewal: Omit<SessionRenewal, 'changes'>; settle(result: RenewResult): Outcome };

export interface AuditedChange {
    type: 'created' | 'regenerated' | 'renewed';
    storeKey: string;
    previousStoreKey?: string;
    userId?: string;
}

/**
 * Where a step leaves the session. `stored`, `renewed`, `dropped` and `ended` finish the call's
 * write; `moved` and `lost` lead to another plan.
 */
export type Outcome =
    /** The changes are stored (or the touch is); `sendCookie` re-sends the session cookie (created, rolling). */
    | { kind: 'stored'; state: SessionState; sendCookie: boolean; audit?: AuditedChange }
    /** This call renewed the id: the client gets the successor, and every socket of the session follows it. */
    | { kind: 'renewed'; state: Loaded; from: string; to: string; audit: AuditedChange }
    /** Nothing to keep (saveUninitialized=false): no record, no cookie. */
    | { kind: 'dropped' }
    /** A touch found the record gone: the client drops it, nothing else is written. */
    | { kind: 'ended' }
    /** Expired or destroyed meanwhile: never written into; the client drops it, and what was set starts a new session. */
    | { kind: 'lost' }
    /** A state to plan again from (a session to create, a renewal another call won). */
    | { kind: 'moved'; state: SessionState };

export type SavePlan =
    | { step: undefined; outcome: Outcome }
    | { step: StoreStep };

/**
 * Persistence as a function: from the state and the pending changes, the next store step and how
 * its result moves the state; undefined when there is nothing to store. `save()` runs plans until
 * one finishes the write or there is none: a step either does the call's write or moves to a state that will
 * (no session yet, a lost record, a renewal another call won).
 */
export function planSave(state: SessionState, changes: PendingChanges, env: SaveEnvironment): SavePlan | undefined {
    const { options, now } = env;
    switch (state.kind) {
        case 'gone':
            if (!changes.hasValues() && !options.saveUninitialized) return undefined;
            return { step: undefined, outcome: { kind: 'moved', state: freshSession(env, {}, { type: 'created' }) } };
        case 'new':
            return planCreate(state, changes, env);
        case 'unread': {
            // A write that never read the session: one update, no load.
            if (changes.size === 0) return undefined;
            const storeKey = env.storeKey(state.id);
            return {
                step: {
                    op: 'update', storeKey, activity: activityOfChanges(changes, options, now),
                    settle: updated => updated ? { kind: 'stored', state, sendCookie: options.rolling } : LOST,
                },
            };
        }
        case 'loaded':
        case 'followed': {
            if (renewsId(state, options, now)) return planRenew(state, changes, env);
            const { storeKey } = state;
            const sendCookie = state.kind === 'loaded' && options.rolling;
            if (changes.size > 0) {
                const activity = activityOfChanges(changes, options, now);
                return {
                    step: {
                        op: 'update', storeKey, activity,
                        settle: updated => updated ? { kind: 'stored', state: withRecord(state, recordAfter(state.record, changes, activity)), sendCookie } : LOST,
                    },
                };
            }
            if (touchDue(state, options, now)) {
                const activity = activityOfChanges(changes, options, now);
                return {
                    step: {
                        op: 'touch', storeKey, activity,
                        settle: touched => touched ? { kind: 'stored', state: withRecord(state, recordAfter(state.record, changes, activity)), sendCookie } : ENDED,
                    },
                };
            }
            return undefined;
        }
    }
}

/** A session under a fresh id, kept in memory until save(). `createdAt` carries over on regenerate. */
export function freshSession(env: Pick<SaveEnvironment, 'options' | 'now' | 'newId'>, data: Record<string, unknown>, origin: SessionOrigin): Fresh {
    const { options, now } = env;
    const record: SessionRecord = {
        v: SESSION_RECORD_VERSION,
        data,
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: now + options.idleTimeoutMs,
        absoluteExpiresAt: now + options.absoluteTimeoutMs,
    };
    return { kind: 'new', id: env.newId(), record, origin };
}

/**
 * True when a session under `id` cannot hold `userId` where it is: the store keeps a user's
 * sessions in the user's slot (placesByUser) and the id carries another tag (or none, an old id).
 * Such a session gets a new id, in the user's slot, before the user is written.
 */
export function outOfPlace(options: Pick<ResolvedSessionOptions, 'store'>, id: string, userId: unknown): boolean {
    return options.store.placesByUser === true && typeof userId === 'string' && tagOfId(id) !== userTag(userId);
}

/** A user id written to a stored session, on a store that keeps a user's sessions in the user's slot. */
export function writesUserToPlacingStore(state: SessionState, changes: PendingChanges, options: ResolvedSessionOptions): boolean {
    const { kind } = state;
    return options.store.placesByUser === true && (kind === 'unread' || kind === 'loaded' || kind === 'followed')
        && typeof changes.get(options.userIdKey) === 'string';
}

/** Idle timeout of a session with or without a user. */
export function idleTimeoutOf(options: ResolvedSessionOptions, userId: string | undefined): number {
    return userId === undefined ? options.anonymousIdleTimeoutMs : options.idleTimeoutMs;
}

/** Checked here, not left to the store's sweeper: the store may still hold an expired record. */
export function isFresh(record: SessionRecord, options: ResolvedSessionOptions, now: number): boolean {
    return record.idleExpiresAt > now && record.absoluteExpiresAt > now
        && record.lastSeenAt + idleTimeoutOf(options, record.userId) > now && record.createdAt + options.absoluteTimeoutMs > now;
}

/**
 * What a write records: activity now, and the user index when it writes the user id key
 * (`userIdWrite` holds the value written, undefined for an unset).
 */
export function activityOf(options: ResolvedSessionOptions, now: number, userIdWrite?: { value: unknown }): SessionActivity {
    const activity: SessionActivity = { now, lastSeenAt: now, idleExpiresAt: now + options.idleTimeoutMs };
    if (options.anonymousIdleTimeoutMs < options.idleTimeoutMs) activity.anonymousIdleExpiresAt = now + options.anonymousIdleTimeoutMs;
    if (userIdWrite) activity.userId = typeof userIdWrite.value === 'string' ? userIdWrite.value : null;
    return activity;
}

/** The activity of writing `changes`. */
function activityOfChanges(changes: PendingChanges, options: ResolvedSessionOptions, now: number): SessionActivity {
    return activityOf(options, now, changes.has(options.userIdKey) ? { value: changes.get(options.userIdKey) } : undefined);
}

function planCreate(state: Fresh, changes: PendingChanges, env: SaveEnvironment): SavePlan {
    const { options, now } = env;
    const data = changes.applyTo(state.record.data);
    // Nothing to keep (saveUninitialized=false): no record, no cookie.
    if (Object.keys(data).length === 0 && !options.saveUninitialized) return { step: undefined, outcome: DROPPED };
    const userId = userIdIn(data, options);
    const record: SessionRecord = {
        ...state.record,
        data,
        lastSeenAt: now,
        idleExpiresAt: Math.min(now + idleTimeoutOf(options, userId), state.record.absoluteExpiresAt),
        ...(userId !== undefined && { userId }),
        ...(state.record.label === undefined ? labelOf(env) : {}),
    };
    // Not sent yet: the id can still change to carry the user's tag.
    const id = env.idFor(state.id, userId);
    const storeKey = env.storeKey(id);
    return {
        step: {
            op: 'create', storeKey, record,
            settle: () => ({
                kind: 'stored',
                state: loaded(id, storeKey, record, false),
                sendCookie: true,
                audit: { type: state.origin.type, storeKey, previousStoreKey: state.origin.previousStoreKey, userId },
            }),
        },
    };
}

/**
 * The same session under a new id, with exactly one winner per id (the store decides atomically).
 * The winner's client gets the new id; a call that lost the race follows the winner's successor.
 */
function planRenew(state: Loaded, changes: PendingChanges, env: SaveEnvironment): SavePlan {
    const { options, now } = env;
    const { storeKey } = state;
    const successorId = env.successorId(state.id);
    const successorKey = env.storeKey(successorId);
    const activity = activityOfChanges(changes, options, now);
    return {
        step: {
            op: 'renew', storeKey, successorKey, renewal: { activity, pointerExpiresAt: now + options.renewGraceMs },
            settle: renewed => {
                if (renewed.outcome === 'missing') return LOST;
                if (renewed.outcome === 'superseded') return { kind: 'moved', state: { kind: 'followed', id: state.id, storeKey: renewed.successorKey, record: state.record } };
                const record: SessionRecord = { ...recordAfter(state.record, changes, activity), idIssuedAt: now };
                return {
                    kind: 'renewed',
                    state: loaded(successorId, successorKey, record, false),
                    from: storeKey,
                    to: successorKey,
                    audit: { type: 'renewed', storeKey: successorKey, previousStoreKey: storeKey, userId: record.userId },
                };
            },
        },
    };
}

/** True when the id is due for renewal (renewIdAfterMs): a followed one never is, another call renewed it. */
function renewsId(state: Stored, options: ResolvedSessionOptions, now: number): state is Loaded {
    return state.kind === 'loaded' && options.renewIdAfterMs > 0 && now - (state.record.idIssuedAt ?? state.record.createdAt) >= options.renewIdAfterMs;
}

function touchDue(state: Stored, options: ResolvedSessionOptions, now: number): boolean {
    return now - state.record.lastSeenAt >= options.touchAfterMs;
}

/**
 * A stored session the call read and did not change, with neither a renewal nor a touch due:
 * what planSave answers undefined for, told without building a SaveEnvironment (most reads).
 */
export function restsAsRead(state: SessionState, changes: PendingChanges, options: ResolvedSessionOptions, now: number): boolean {
    return isStored(state) && changes.size === 0 && !renewsId(state, options, now) && !touchDue(state, options, now);
}

const LOST: Outcome = Object.freeze({ kind: 'lost' });
const ENDED: Outcome = Object.freeze({ kind: 'ended' });
const DROPPED: Outcome = Object.freeze({ kind: 'dropped' });

function withRecord(state: Stored, record: SessionRecord): Stored {
    return { ...state, record };
}

/** The record as the store holds it after a write of `changes` with `activity`. */
function recordAfter(record: SessionRecord, changes: PendingChanges, activity: SessionActivity): SessionRecord {
    const next: SessionRecord = { ...record, data: changes.applyTo(record.data), lastSeenAt: activity.lastSeenAt };
    if (activity.userId === null) delete next.userId;
    else if (activity.userId !== undefined) next.userId = activity.userId;
    next.idleExpiresAt = next.userId === undefined && activity.anonymousIdleExpiresAt !== undefined ? activity.anonymousIdleExpiresAt : activity.idleExpiresAt;
    return next;
}

function userIdIn(data: Record<string, unknown>, options: ResolvedSessionOptions): string | undefined {
    const userId = data[options.userIdKey];
    return typeof userId === 'string' ? userId : undefined;
}

function labelOf(env: SaveEnvironment): { label?: string } {
    const label = env.label();
    return label === undefined ? {} : { label };
}
