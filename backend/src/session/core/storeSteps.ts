import type { Logger } from 'tsrpc';
import type { Outcome, StoreStep } from './persistence';
import type { PendingChanges } from './PendingChanges';
import type { SessionContext } from './SessionContext';

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
