import type { Logger } from 'tsrpc';
import type { CookieUpdate } from '../../../../shared/protocols/base';
import { activityOf, Outcome, planSave, SaveEnvironment, SavePlan, StoreStep } from './persistence';
import type { PendingChanges } from './PendingChanges';
import type { SessionContext } from './SessionContext';
import { CLEARED, sessionCookieOf } from './sessionCookie';
import { GONE, SessionState, Stored, unread, Unread } from './SessionState';

/** How many times `update()` retries a compare-and-set that lost to another writer. */
export const MAX_UPDATE_ATTEMPTS = 16;

/** One store step of save(), its result typed by its operation, settled into an outcome. */
export async function runStep({ store }: SessionContext, step: StoreStep, changes: PendingChanges): Promise<Outcome> {
    switch (step.op) {
        case 'create':
            await store.create(step.storeKey, step.record);
            return step.settle();
        case 'update': return step.settle(await store.update(step.storeKey, changes.toStoreChanges(), step.activity));
        case 'touch': return step.settle(await store.touch(step.storeKey, step.activity));
        case 'renew': return step.settle(await store.renew(step.storeKey, step.successorKey, { ...step.renewal, changes: changes.toStoreChanges() }));
    }
}

/** Where save()'s store steps left the call's session. */
export interface SaveRun {
    state: SessionState;
    /** The session cookie's new value; undefined leaves it as it was. */
    cookie: CookieUpdate | undefined;
    /** The pending changes are stored, or have nothing left to go to: the call drops them. */
    written: boolean;
}

/**
 * Runs save()'s plans from `first`, the state moving by each step's outcome, until one finishes the
 * write or none is left. The call's session takes the result in one transition (CallSession). When
 * the store did every step at once (`updateNow`), the result comes as it is, with no promise: the
 * call then answers without awaiting anything.
 */
export function runSave(
    ctx: SessionContext, first: SavePlan, from: SessionState, changes: PendingChanges, env: SaveEnvironment, logger: Logger | undefined,
): SaveRun | Promise<SaveRun> {
    const run: SaveRun = { state: from, cookie: undefined, written: false };
    let plan: SavePlan | undefined = first;
    // Steps the store does at once are taken here, with no promise between them; the first it cannot goes the async way.
    for (; plan; plan = planSave(run.state, changes, env)) {
        const outcome = plan.step ? stepNow(ctx, plan.step, changes) : plan.outcome;
        if (outcome === undefined) break;
        apply(ctx, run, outcome, env.now, logger);
        if (run.written) return run;
    }
    return plan ? runSteps(ctx, plan, run, changes, env, logger) : run;
}

/**
 * A step's outcome when the store does it at once (`updateNow`: an update of a session this process
 * holds, with no user to cap after it); undefined when the step must go through the store's promise.
 */
function stepNow({ store }: SessionContext, step: StoreStep, changes: PendingChanges): Outcome | undefined {
    if (step.op !== 'update' || userIndexedBy(step) !== undefined) return undefined;
    const updated = store.updateNow(step.storeKey, changes.toStoreChanges(), step.activity);
    return updated === undefined ? undefined : step.settle(updated);
}

/** runSave's steps from `first` on, each through the store's promise. */
async function runSteps(
    ctx: SessionContext, first: SavePlan, run: SaveRun, changes: PendingChanges, env: SaveEnvironment, logger: Logger | undefined,
): Promise<SaveRun> {
    for (let plan: SavePlan | undefined = first; plan; plan = planSave(run.state, changes, env)) {
        const outcome = plan.step ? await runStep(ctx, plan.step, changes) : plan.outcome;
        apply(ctx, run, outcome, env.now, logger);
        // Awaited only when there is a user to cap: a write of an anonymous session spares the turn.
        const userId = plan.step && outcome.kind === 'stored' ? userIndexedBy(plan.step) : undefined;
        if (userId !== undefined) await capUser(ctx, userId, plan.step!.storeKey, logger);
        if (run.written) break;
    }
    return run;
}

/** Moves the run to the outcome's state; `written` once the outcome finished the call's write. */
function apply(ctx: SessionContext, run: SaveRun, outcome: Outcome, now: number, logger: Logger | undefined): void {
    const { audit, bindings } = ctx;
    switch (outcome.kind) {
        case 'moved':
            run.state = outcome.state;
            return;
        case 'lost':
            run.state = GONE;
            run.cookie = CLEARED;
            return;
        case 'ended':
            run.state = GONE;
            run.cookie = CLEARED;
            run.written = true;
            return;
        case 'dropped':
            run.state = GONE;
            run.written = true;
            return;
        case 'stored':
            run.state = outcome.state;
            run.written = true;
            if (outcome.sendCookie) sendCookie(ctx, run, now);
            if (outcome.audit) audit.emit(outcome.audit, logger);
            return;
        case 'renewed':
            run.state = outcome.state;
            run.written = true;
            sendCookie(ctx, run, now);
            audit.emit(outcome.audit, logger);
            // A renewal moves every socket of the session: they all held the id, and the session is the same.
            bindings.rekey(outcome.from, outcome.to, outcome.state.id);
    }
}

/** The session cookie of the run's state, when it has one to send. */
function sendCookie({ options, codec }: SessionContext, run: SaveRun, now: number): void {
    const update = sessionCookieOf(run.state, options, codec, now);
    if (update) run.cookie = update;
}

/** The user a store step indexed the session under, if it did. */
export function userIndexedBy(step: StoreStep): string | undefined {
    if (step.op === 'create') return step.record.userId;
    if (step.op === 'renew') return undefined;
    return typeof step.activity.userId === 'string' ? step.activity.userId : undefined;
}

/** After a write put the session under `userId`: the user's other sessions past the cap end. */
export async function capUser({ devices, options }: SessionContext, userId: string | undefined, storeKey: string, logger: Logger | undefined): Promise<void> {
    if (userId === undefined) return;
    try {
        await devices.capSessions(userId, storeKey, options.maxSessionsPerUser);
    } catch (e) {
        // The write stands: the cap is enforced again at the user's next login.
        logger?.warn('[SessionCapFailed]', (e as Error)?.message);
    }
}

/**
 * One compare-and-set of `update()`, its activity and the user cap included: the stored session
 * with the value written, an unread one to try again from (another writer won), or undefined
 * when the session is gone.
 */
export async function compareAndSetStep(ctx: SessionContext, state: Stored, key: string, next: unknown, logger: Logger | undefined): Promise<Stored | Unread | undefined> {
    const { store, options } = ctx;
    const activity = activityOf(options, options.now(), key === options.userIdKey ? { value: next } : undefined);
    const result = await store.compareAndSet(state.storeKey, key, state.record.data[key], next, activity);
    if (result === 'missing') return undefined;
    if (result === 'conflict') return unread(state.id, state.kind === 'loaded' && state.resign);
    await capUser(ctx, activity.userId ?? undefined, state.storeKey, logger);
    return { ...state, record: { ...state.record, data: withField(state.record.data, key, next) } };
}

/** The data with one field set (or removed, for undefined), as a compare-and-set just stored it. */
export function withField(data: Readonly<Record<string, unknown>>, field: string, value: unknown): Record<string, unknown> {
    const next = { ...data };
    if (value === undefined) delete next[field];
    else next[field] = value;
    return next;
}

/** Spreads retries of racing updates so they stop colliding. */
export function jitter(attempt: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
}
