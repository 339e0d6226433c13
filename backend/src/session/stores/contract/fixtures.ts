import { randomBytes } from 'crypto';
import { SESSION_RECORD_VERSION, SessionActivity, SessionRecord } from '../SessionStore';
import { taggedKey, userTag } from '../sessionTags';

export const SECOND = 1000;
export const IDLE_MS = 60 * SECOND;
export const ABSOLUTE_MS = 3600 * SECOND;

/** Times around the real clock: a store with server-side expiry (Redis, Mongo TTL) keeps these records during the test. */
export function recordAt(t0: number, data: Record<string, unknown> = {}, extra: Partial<SessionRecord> = {}): SessionRecord {
    return {
        v: SESSION_RECORD_VERSION, data,
        createdAt: t0, lastSeenAt: t0, idleExpiresAt: t0 + IDLE_MS, absoluteExpiresAt: t0 + ABSOLUTE_MS,
        ...extra,
    };
}

export function activityAt(now: number, userId?: string | null): SessionActivity {
    return { now, lastSeenAt: now, idleExpiresAt: now + IDLE_MS, ...(userId !== undefined && { userId }) };
}

/**
 * A key shaped like the plugin's (SHA-256, base64url); for a session of `userId`, carrying the
 * user's tag as the plugin's keys do on a store that places sessions by user (sessionTags.ts).
 */
export function newKey(userId?: string): string {
    const hash = randomBytes(32).toString('base64url');
    return userId === undefined ? hash : taggedKey(userTag(userId), hash);
}
