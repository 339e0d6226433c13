import { createHash } from 'crypto';
import { SESSION_RECORD_VERSION, SessionRecord, SessionStore } from 'tsrpc-session/stores';
import { SessionIdCodec } from '../../backend/src/session/core/SessionIdCodec';
import { BENCH_SECRETS } from '../server/ipc';
import { userTag } from '../../backend/src/session/stores/sessionTags';

/** The scale benchmark's server settings: every read is one load and every write one update (no touch). */
export const SCALE_SESSION_OPTIONS = { idleTimeoutMs: 4 * 3600_000, touchAfterMs: 3600_000, absoluteTimeoutMs: 24 * 3600_000 };

/**
 * Session `i` of the benchmark's population: its id is derived from `i`, so the load generator
 * can sign a cookie for any stored session without a list of a million ids crossing processes.
 * `tagged`: shaped as the plugin mints them for a store that places sessions by user (a Redis
 * Cluster), carrying the tag of the session's user (backend/src/session/stores/sessionTags.ts).
 */
export function populationId(i: number, tagged = false): string {
    const id = createHash('sha256').update(`tsrpc-session-scale:${i}`).digest('base64url');
    return tagged ? `${userTag(`user-${i}`)}${id.slice(3, 42)}-` : id;
}

export class Population {
    readonly #codec = new SessionIdCodec(BENCH_SECRETS);
    readonly #tagged: boolean;

    constructor(tagged = false) {
        this.#tagged = tagged;
    }

    /** The cookie a client of session `i` sends. */
    cookie(i: number): string {
        return this.#codec.sign(populationId(i, this.#tagged));
    }

    /** The record the store keeps for session `i`: a logged-in user with a little data, as an app has. */
    record(i: number, now: number): SessionRecord {
        const userId = `user-${i}`;
        return {
            v: SESSION_RECORD_VERSION,
            data: { userId, benchValue: 'initial', cart: [{ item: 'tea', quantity: 2 }] },
            userId,
            label: 'Chrome on Linux',
            createdAt: now,
            lastSeenAt: now,
            idleExpiresAt: now + SCALE_SESSION_OPTIONS.idleTimeoutMs,
            absoluteExpiresAt: now + SCALE_SESSION_OPTIONS.absoluteTimeoutMs,
        };
    }

    /**
     * Writes sessions `from` to `to - 1` with the store's own `create`, a batch at a time, never
     * through calls. For Redis, a batch of creates issued together goes out as one pipeline.
     */
    async fill(store: SessionStore, from: number, to: number, batch: number): Promise<void> {
        const now = Date.now();
        for (let start = from; start < to; start += batch) {
            const end = Math.min(to, start + batch);
            const creates: Promise<void>[] = [];
            for (let i = start; i < end; i++) creates.push(store.create(this.#codec.storeKey(populationId(i, this.#tagged)), this.record(i, now)));
            await Promise.all(creates);
        }
    }
}
