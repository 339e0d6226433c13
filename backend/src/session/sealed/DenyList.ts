import { createHash } from 'crypto';
import { CompareAndSetResult, SESSION_RECORD_VERSION, SessionActivity, SessionRecord, SessionStore } from '../stores/SessionStore';

const SESSION_PREFIX = 'sealed-deny:';
const USER_PREFIX = 'sealed-user:';
const TICKET_PREFIX = 'sealed-ticket:';

/** A user's "not before": seals of sessions created before it are refused, `keep`'s excepted. */
interface UserCutoff {
    notBefore: number;
    /** The store key of the session that asked (logout-others keeps it). */
    keep?: string;
}

/**
 * The revocations a sealed session can have, in a small store: ended sessions by their store key
 * (kept until the session's own absolute expiry, after which its seals are refused anyway), and
 * per user a "not before" time for logout-others and revoke-all. Only revocations are written:
 * the store holds nothing for a session that was never ended.
 */
export class DenyList {
    readonly #store: SessionStore;

    constructor(store: SessionStore) {
        this.#store = store;
    }

    get store(): SessionStore {
        return this.#store;
    }

    async denySession(storeKey: string, now: number, until: number): Promise<void> {
        await this.#store.create(SESSION_PREFIX + storeKey, marker({}, now, until));
    }

    async denyUser(userId: string, now: number, until: number, keep: string | undefined): Promise<void> {
        const cutoff: UserCutoff = { notBefore: now, ...(keep !== undefined && { keep }) };
        await this.#store.create(USER_PREFIX + userKey(userId), marker({ cutoff }, now, until));
    }

    /** A WebSocket ticket's one-time marker (sessionTickets.ts), shared by every server on this store. */
    async createTicketMarker(key: string, record: SessionRecord): Promise<void> {
        await this.#store.create(TICKET_PREFIX + key, record);
    }

    redeemTicketMarker(key: string, field: string, expected: unknown, next: unknown, activity: SessionActivity): Promise<CompareAndSetResult> {
        return this.#store.compareAndSet(TICKET_PREFIX + key, field, expected, next, activity);
    }

    /** True when the session, created at `createdAt` for `userId`, was revoked. */
    async isDenied(storeKey: string, userId: string | undefined, createdAt: number, now: number): Promise<boolean> {
        const [session, user] = await Promise.all([
            this.#store.load(SESSION_PREFIX + storeKey, now),
            userId === undefined ? undefined : this.#store.load(USER_PREFIX + userKey(userId), now),
        ]);
        if (session) return true;
        const cutoff = user?.data.cutoff as UserCutoff | undefined;
        return cutoff !== undefined && createdAt <= cutoff.notBefore && cutoff.keep !== storeKey;
    }
}

function marker(data: Record<string, unknown>, now: number, until: number): SessionRecord {
    return { v: SESSION_RECORD_VERSION, data, createdAt: now, lastSeenAt: now, idleExpiresAt: until, absoluteExpiresAt: until };
}

/** User ids are hashed like session ids: the deny-list names no one. */
function userKey(userId: string): string {
    return createHash('sha256').update(userId).digest('base64url');
}
