import type { SessionActivity, SessionRecord, SessionTimes } from './SessionStore';

/**
 * The store rules, in one place: every TypeScript store uses these; RedisStore's Lua
 * (redisScripts.ts) and MongoStore's update documents restate them in their own language, point
 * here, and are held to them by the contract suite (stores/contract/).
 */

/**
 * How many successors a walk along a renewal chain follows (destroy, destroyByUser's kept chain).
 * Pointers live one grace window, so a chain is never longer than a few renewals; the bound only
 * stops a corrupted chain from looping. The Lua scripts receive it as an argument.
 */
export const RENEWAL_CHAIN_LIMIT = 16;

/** The metadata a write of activity changes. */
type ActivityFields = Pick<SessionRecord, 'lastSeenAt' | 'idleExpiresAt' | 'userId'>;

/** Whether a record is live at `now`: before both its idle and its absolute expiry. */
export function isLive(times: Pick<SessionTimes, 'idleExpiresAt' | 'absoluteExpiresAt'>, now: number): boolean {
    return times.idleExpiresAt > now && times.absoluteExpiresAt > now;
}

/**
 * Records a call's activity on a live record's metadata: `lastSeenAt`; the user when the activity
 * names one (`null` removes it, `undefined` keeps it); the idle expiry, the anonymous one when the
 * record ends up without a user. Returns the user it had before, for the store's user index.
 */
export function applyActivity(meta: ActivityFields, activity: SessionActivity): string | undefined {
    const before = meta.userId;
    meta.lastSeenAt = activity.lastSeenAt;
    if (activity.userId === null) delete meta.userId;
    else if (activity.userId !== undefined) meta.userId = activity.userId;
    meta.idleExpiresAt = meta.userId === undefined && activity.anonymousIdleExpiresAt !== undefined
        ? activity.anonymousIdleExpiresAt
        : activity.idleExpiresAt;
    return before;
}

/** What a renewed record becomes: a pointer to its successor until the grace window ends. */
export function pointToSuccessor(meta: ActivityFields & { successorKey?: string }, successorKey: string, now: number, pointerExpiresAt: number): void {
    meta.successorKey = successorKey;
    meta.lastSeenAt = now;
    meta.idleExpiresAt = pointerExpiresAt;
}

/**
 * The keys of the renewal chain from `start`: itself and at most RENEWAL_CHAIN_LIMIT successors.
 * `step` runs once per key, in order, and answers that key's successor (it may also act on the
 * key, as destroy removes it).
 */
export function renewalChain(start: string | undefined, step: (key: string) => string | undefined): string[] {
    const keys: string[] = [];
    for (let key = start; key !== undefined && keys.length <= RENEWAL_CHAIN_LIMIT; key = step(key)) keys.push(key);
    return keys;
}

/** {@link renewalChain} for stores whose reads are asynchronous. */
export async function renewalChainAsync(start: string | undefined, step: (key: string) => Promise<string | undefined>): Promise<string[]> {
    const keys: string[] = [];
    for (let key = start; key !== undefined && keys.length <= RENEWAL_CHAIN_LIMIT; key = await step(key)) keys.push(key);
    return keys;
}
