import type { Logger } from 'tsrpc';
import { isFresh } from './persistence';
import { upgradeRecord } from './recordVersions';
import { SessionContext } from './SessionContext';
import { Followed, loaded, Loaded, Unread } from './SessionState';
import { SessionRecord } from '../stores/SessionStore';

/** How many renewed records a read follows before it gives up on the id. */
const MAX_SUCCESSORS = 4;

/** The session an unread id leads to, live; undefined (audited) when there is none. */
export type ReadResult = Loaded | Followed | undefined;

/** The store does not hold the answer in memory: read through {@link readSession}. */
export const NOT_HELD = Symbol('not held');

/**
 * The read answered at once from what the store holds in this process (`loadCached`), renewed
 * records followed: a session read with no promise and no I/O. NOT_HELD as soon as any record on
 * the way is not held.
 */
export function readSessionNow(ctx: SessionContext, state: Unread, logger: Logger | undefined): ReadResult | typeof NOT_HELD {
    const { store, codec, options } = ctx;
    const now = options.now();
    let storeKey = state.storeKey ?? codec.storeKey(state.id);
    let record = heldRecord(store.loadCached(storeKey, now));
    let hops = 0;
    while (record?.successorKey !== undefined && hops++ < MAX_SUCCESSORS) {
        storeKey = record.successorKey;
        record = heldRecord(store.loadCached(storeKey, now));
    }
    if (record === NOT_HELD) return NOT_HELD;
    return conclude(ctx, state, storeKey, record, hops, now, logger);
}

/** The same read through the store's `load`, for stores that answer over I/O. */
export async function readSession(ctx: SessionContext, state: Unread, logger: Logger | undefined): Promise<ReadResult> {
    const { store, codec, options } = ctx;
    const now = options.now();
    let storeKey = state.storeKey ?? codec.storeKey(state.id);
    let record = upgraded(await store.load(storeKey, now));
    let hops = 0;
    // A call still carrying a renewed id, inside the grace window: it works on the successor.
    while (record?.successorKey !== undefined && hops++ < MAX_SUCCESSORS) {
        storeKey = record.successorKey;
        record = upgraded(await store.load(storeKey, now));
    }
    return conclude(ctx, state, storeKey, record, hops, now, logger);
}

function conclude(
    { options, audit }: SessionContext, state: Unread, storeKey: string, record: SessionRecord | undefined, hops: number, now: number, logger: Logger | undefined,
): ReadResult {
    if (record && record.successorKey === undefined && isFresh(record, options, now)) {
        return hops === 0 ? loaded(state.id, storeKey, record, state.resign) : { kind: 'followed', id: state.id, storeKey, record };
    }
    audit.emit({ type: record ? 'expired' : 'rejected', storeKey, ...(!record && { reason: 'unknown' }) }, logger);
    return undefined;
}

function heldRecord(held: SessionRecord | null | undefined): SessionRecord | undefined | typeof NOT_HELD {
    return held === undefined ? NOT_HELD : upgraded(held ?? undefined);
}

function upgraded(record: SessionRecord | undefined): SessionRecord | undefined {
    return record && upgradeRecord(record);
}
